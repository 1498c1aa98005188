package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import io.switchboard.itests.handlerbundle.NumberEchoActivator;
import io.switchboard.itests.handlerbundle.NumberEchoBundle;
import io.switchboard.testing.NumberClient;

/**
 * A real {@code Bundle.update()} of a handler bundle under load: 100 clients keep sending
 * numbered messages, a few in flight each, while the bundle is replaced by its next version. No
 * connection may close, and each client must get the answers to exactly 1..N, in order, from the
 * old version and then from the new one, which adopts every connection. The same holds when the
 * update turns a blocking handler (callbacks on the worker pool) into a non-blocking one, and back,
 * for a handler that keeps its selector loop busy while its bundle stops (five milliseconds per
 * message), and for a prototype-scoped handler, one instance per connection.
 *
 * <p>Once {@code update()} (or {@code stop()}) has returned, the old version is done with: each
 * client sends a number at that moment, and no number sent from then on may be answered by the
 * old version; every instance of a prototype-scoped old version has been released by then, and
 * none is called after its release. A bundle stopped with no replacement keeps its connections
 * waiting until the next version starts, and that version answers them.
 *
 * <p>The handler bundle is built here from the classes of {@code io.switchboard.itests.handlerbundle}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleUpdateIT extends WhiteboardTestSupport {
    private static final int CLIENTS = 100;
    private static final int IN_FLIGHT = 4;
    private static final int ANSWERS_PER_VERSION = 10;
    private static final long LOAD_TIMEOUT_SECONDS = 30;
    private static final String SYMBOLIC_NAME = "io.switchboard.itests.number-echo";

    /** How a version of the handler bundle registers its handler. */
    private record Handler(boolean blocking, boolean prototype, long busyMillis) {
        static final Handler SINGLETON = new Handler(false, false, 0);
        static final Handler BLOCKING = new Handler(true, false, 0);
        static final Handler PROTOTYPE = new Handler(false, true, 0);
        static final Handler BLOCKING_PROTOTYPE = new Handler(true, true, 0);
        /** Five milliseconds per message on the selector loop once its bundle is stopping: it keeps its loop busy. */
        static final Handler BUSY = new Handler(false, false, 5);

        InputStream bundle(int major) throws Exception {
            return NumberEchoBundle.jar(SYMBOLIC_NAME, major, blocking, prototype, busyMillis);
        }
    }

    @Test
    public void updatingAHandlerBundleLosesNoConnectionAndNoMessage() throws Exception {
        updateUnderLoad(Handler.SINGLETON, Handler.SINGLETON);
    }

    @Test
    public void updatingFromABlockingToANonBlockingHandlerLosesNothing() throws Exception {
        updateUnderLoad(Handler.BLOCKING, Handler.SINGLETON);
    }

    @Test
    public void updatingFromANonBlockingToABlockingHandlerLosesNothing() throws Exception {
        updateUnderLoad(Handler.SINGLETON, Handler.BLOCKING);
    }

    @Test
    public void updatingAHandlerThatKeepsItsLoopBusyLeavesItNoMessageSentAfterTheUpdate() throws Exception {
        updateUnderLoad(Handler.BUSY, Handler.SINGLETON);
    }

    @Test
    public void updatingAPrototypeScopedHandlerReleasesEveryOldInstanceAndCallsNoneAfter() throws Exception {
        updateUnderLoad(Handler.BLOCKING_PROTOTYPE, Handler.PROTOTYPE);
    }

    /** Updates the handler bundle from version 1 to 2 while every client sends. */
    private void updateUnderLoad(Handler before, Handler after) throws Exception {
        HandlerEvents events = listenToHandlers();
        RunningEndpoint endpoint = endpoint("update"); // the default swap grace period: 30 s
        Bundle handlerBundle = context.installBundle("switchboard-itests:number-echo", before.bundle(1));
        List<NumberClient> clients = new ArrayList<>();
        try {
            handlerBundle.start();
            Set<String> connected = loadVersionOne(endpoint, clients, events);

            handlerBundle.update(after.bundle(2));
            List<Integer> sentAfterReturn = sendNow(clients);
            if (before.prototype()) {
                assertEquals("every v1 instance was released when update() returned",
                        connected, idsOf(drainNow(events.releases), "v1 release"));
            }
            assertEquals(2, handlerBundle.getVersion().getMajor());

            assertVersionTwoTakesOver(clients, events, connected, sentAfterReturn);
        } finally {
            clients.forEach(NumberClient::abort);
            handlerBundle.uninstall();
        }
    }

    @Test
    public void stoppingAHandlerBundleHoldsItsConnectionsUntilTheNextVersionStarts() throws Exception {
        stopUnderLoadThenStartTheNextVersion(Handler.BUSY);
    }

    @Test
    public void stoppingAPrototypeScopedHandlerReleasesEveryInstanceAndCallsNoneAfter() throws Exception {
        stopUnderLoadThenStartTheNextVersion(Handler.PROTOTYPE);
    }

    /** Stops the handler bundle while every client sends, then installs version 2 and starts it. */
    private void stopUnderLoadThenStartTheNextVersion(Handler handler) throws Exception {
        HandlerEvents events = listenToHandlers();
        RunningEndpoint endpoint = endpoint("stop"); // the default swap grace period: 30 s
        Bundle handlerBundle = context.installBundle("switchboard-itests:number-echo", handler.bundle(1));
        List<NumberClient> clients = new ArrayList<>();
        try {
            handlerBundle.start();
            Set<String> connected = loadVersionOne(endpoint, clients, events);

            handlerBundle.stop();
            List<Integer> sentAfterReturn = sendNow(clients);
            if (handler.prototype()) {
                assertEquals("every v1 instance was released when stop() returned",
                        connected, idsOf(drainNow(events.releases), "v1 release"));
            }

            handlerBundle.update(handler.bundle(2));
            assertNotEquals("update() leaves a stopped bundle stopped", Bundle.ACTIVE, handlerBundle.getState());
            handlerBundle.start();

            assertVersionTwoTakesOver(clients, events, connected, sentAfterReturn);
        } finally {
            clients.forEach(NumberClient::abort);
            handlerBundle.uninstall();
        }
    }

    /** Connects every client to version 1 and waits until each has its answers; returns the connection ids. */
    private Set<String> loadVersionOne(RunningEndpoint endpoint, List<NumberClient> clients, HandlerEvents events)
            throws Exception {
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(NumberClient.open(endpoint.uri(NumberEchoActivator.ROUTE), IN_FLIGHT));
        }
        Set<String> connected = idsOf(drain(events.lifecycle, CLIENTS), "v1 connect");
        awaitEvery(clients, client -> client.answers() >= ANSWERS_PER_VERSION, "answers from v1");
        return connected;
    }

    /**
     * Version 2 adopts every connection and answers; nothing is lost, no connection ends, and v1
     * answered no number sent after its removal returned ({@code sentAfterReturn}, per client).
     */
    private void assertVersionTwoTakesOver(List<NumberClient> clients, HandlerEvents events, Set<String> connected,
                                           List<Integer> sentAfterReturn) throws Exception {
        awaitEvery(clients, client -> client.answersFrom("v2") >= ANSWERS_PER_VERSION, "answers from v2");
        assertEquals("the new version adopted every connection", connected, idsOf(drain(events.lifecycle, CLIENTS), "v2 adopt"));

        clients.forEach(NumberClient::stopSending);
        awaitEvery(clients, NumberClient::allAnswered, "answers to every message sent");
        for (int i = 0; i < clients.size(); i++) {
            NumberClient client = clients.get(i);
            client.assertAnsweredOneToNInOrder("v2");
            int lastOfV1 = client.lastAnsweredBy("v1");
            assertTrue(client + ": v1 answered " + lastOfV1 + ", sent after its removal returned (from "
                    + sentAfterReturn.get(i) + " on)", lastOfV1 < sentAfterReturn.get(i));
        }
        assertEquals("no released instance was called", List.of(), events.callsAfterRelease);
        assertEquals("no instance released twice", List.of(), new ArrayList<>(events.releases));
        assertEquals("no connection ended, no other callback", List.of(), new ArrayList<>(events.lifecycle));
    }

    /** Each client sends a number now; returns those numbers, in the clients' order. */
    private static List<Integer> sendNow(List<NumberClient> clients) {
        List<Integer> sent = new ArrayList<>();
        for (NumberClient client : clients) {
            sent.add(client.sendNow());
        }
        return sent;
    }

    /** Registers the service the handler bundle reports its events to. */
    private HandlerEvents listenToHandlers() {
        HandlerEvents events = new HandlerEvents();
        Hashtable<String, Object> sinkProperties = new Hashtable<>();
        sinkProperties.put(NumberEchoActivator.EVENTS_PROPERTY, true);
        track(context.registerService(Consumer.class, events, sinkProperties));
        return events;
    }

    /** What the handler bundle reports ({@code NumberEcho}), sorted by kind. */
    private static final class HandlerEvents implements Consumer<String> {
        /** "vK connect|adopt|disconnect id". */
        final BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
        /** "vK release id": a prototype instance taken back. */
        final BlockingQueue<String> releases = new LinkedBlockingQueue<>();
        /** "vK called after release: callback id". */
        final List<String> callsAfterRelease = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String event) {
            if (event.contains(" called after release: ")) {
                callsAfterRelease.add(event);
            } else if (event.contains(" release ")) {
                releases.add(event);
            } else {
                lifecycle.add(event);
            }
        }
    }

    /** Takes {@code count} events, waiting for each. */
    private static List<String> drain(BlockingQueue<String> events, int count) throws InterruptedException {
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String event = events.poll(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (event == null) {
                fail("only " + taken.size() + " of " + count + " handler events came: " + taken);
            }
            taken.add(event);
        }
        return taken;
    }

    /** Takes the events there are now, waiting for none. */
    private static List<String> drainNow(BlockingQueue<String> events) {
        List<String> taken = new ArrayList<>();
        events.drainTo(taken);
        return taken;
    }

    /** The connection ids of events that must all be of one kind, such as "v2 adopt". */
    private static Set<String> idsOf(List<String> events, String kind) {
        Set<String> ids = new HashSet<>();
        for (String event : events) {
            if (!event.startsWith(kind + " ")) {
                fail("expected only '" + kind + "' events, got " + event);
            }
            ids.add(event.substring(kind.length() + 1));
        }
        assertEquals("distinct connections in " + events, events.size(), ids.size());
        return ids;
    }

    private static void awaitEvery(List<NumberClient> clients, Predicate<NumberClient> condition, String what)
            throws Exception {
        CompletableFuture<?>[] reached = clients.stream().map(client -> client.when(condition))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(reached).get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            List<String> behind = new ArrayList<>();
            for (int i = 0; i < reached.length; i++) {
                if (!reached[i].isDone()) {
                    behind.add(clients.get(i).toString());
                }
            }
            fail(behind.size() + " clients did not get " + what + " in time: " + behind);
        }
    }
}

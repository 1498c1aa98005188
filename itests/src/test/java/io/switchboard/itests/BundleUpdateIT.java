package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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

/**
 * A real {@code Bundle.update()} of a handler bundle under load: 100 clients keep sending
 * numbered messages, a few in flight each, while the bundle is replaced by its next version. No
 * connection may close, and each client must get the answers to exactly 1..N, in order, from the
 * old version and then from the new one, which adopts every connection. The same holds when the
 * update turns a blocking handler (callbacks on the worker pool) into a non-blocking one, and back.
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

    @Test
    public void updatingAHandlerBundleLosesNoConnectionAndNoMessage() throws Exception {
        updateUnderLoad(false, false);
    }

    @Test
    public void updatingFromABlockingToANonBlockingHandlerLosesNothing() throws Exception {
        updateUnderLoad(true, false);
    }

    @Test
    public void updatingFromANonBlockingToABlockingHandlerLosesNothing() throws Exception {
        updateUnderLoad(false, true);
    }

    /** Updates the handler bundle from version 1 to 2 while every client sends; each may be blocking. */
    private void updateUnderLoad(boolean blockingBefore, boolean blockingAfter) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Hashtable<String, Object> sinkProperties = new Hashtable<>();
        sinkProperties.put(NumberEchoActivator.EVENTS_PROPERTY, true);
        track(context.registerService(Consumer.class, (Consumer<String>) events::add, sinkProperties));
        RunningEndpoint endpoint = endpoint("update"); // the default swap grace period: 30 s

        Bundle handlerBundle = context.installBundle("switchboard-itests:number-echo", NumberEchoBundle.jar("io.switchboard.itests.number-echo", 1, blockingBefore));
        List<NumberClient> clients = new ArrayList<>();
        try {
            handlerBundle.start();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(NumberClient.open(endpoint.uri(NumberEchoActivator.ROUTE), IN_FLIGHT));
            }
            Set<String> connected = idsOf(drain(events, CLIENTS), "v1 connect");
            awaitEvery(clients, client -> client.answers() >= ANSWERS_PER_VERSION, "answers from v1");

            handlerBundle.update(NumberEchoBundle.jar("io.switchboard.itests.number-echo", 2, blockingAfter));
            assertEquals(2, handlerBundle.getVersion().getMajor());
            awaitEvery(clients, client -> client.answersFrom("v2") >= ANSWERS_PER_VERSION, "answers from v2");
            assertEquals("the new version adopted every connection", connected, idsOf(drain(events, CLIENTS), "v2 adopt"));

            clients.forEach(NumberClient::stopSending);
            awaitEvery(clients, NumberClient::allAnswered, "answers to every message sent");
            for (NumberClient client : clients) {
                client.assertAnsweredOneToNInOrder("v2");
            }
            assertEquals("no connection ended, no other callback", List.of(), new ArrayList<>(events));
        } finally {
            clients.forEach(NumberClient::abort);
            handlerBundle.uninstall();
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

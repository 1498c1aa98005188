package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
                clients.add(NumberClient.open(HTTP, endpoint.uri(NumberEchoActivator.ROUTE)));
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
                client.assertAnsweredOneToNInOrder();
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

    /**
     * Sends the numbers 1, 2, 3 … with {@link #IN_FLIGHT} unanswered at most, the next one as
     * each answer arrives, until told to stop; keeps every answer.
     */
    private static final class NumberClient implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final List<String> answers = new ArrayList<>();
        private final List<Milestone> milestones = new ArrayList<>();
        private volatile WebSocket socket;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private int sent;
        private boolean stopped;

        private record Milestone(Predicate<NumberClient> condition, CompletableFuture<Void> reached) {
        }

        static NumberClient open(HttpClient http, URI uri) throws Exception {
            NumberClient client = new NumberClient();
            client.socket = http.newWebSocketBuilder().buildAsync(uri, client)
                    .get(WsClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            synchronized (client) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    client.sendNext();
                }
            }
            return client;
        }

        synchronized int answers() {
            return answers.size();
        }

        synchronized int answersFrom(String tag) {
            return (int) answers.stream().filter(answer -> answer.startsWith(tag + " ")).count();
        }

        synchronized boolean allAnswered() {
            return stopped && answers.size() == sent;
        }

        synchronized CompletableFuture<Void> when(Predicate<NumberClient> condition) {
            Milestone milestone = new Milestone(condition, new CompletableFuture<>());
            milestones.add(milestone);
            checkMilestones();
            return milestone.reached();
        }

        synchronized void stopSending() {
            stopped = true;
            checkMilestones();
        }

        /** Answers "vX 1" … "vX N" for the N numbers sent, in order, the versions never going back. */
        synchronized void assertAnsweredOneToNInOrder() {
            assertFalse(this + ": the connection ended", closed.isDone());
            assertFalse(this + ": a send failed", sending.isCompletedExceptionally());
            assertEquals(this + ": answers", sent, answers.size());
            String version = "v1";
            for (int i = 0; i < answers.size(); i++) {
                String[] answer = answers.get(i).split(" ");
                assertEquals(this + ": answer " + (i + 1), String.valueOf(i + 1), answer[1]);
                if (!answer[0].equals(version)) {
                    assertEquals(this + ": answer " + (i + 1) + " from an older version", "v2", answer[0]);
                    version = answer[0];
                }
            }
            assertEquals(this + ": the last answers come from the new version", "v2", version);
        }

        void abort() {
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                answered(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        private synchronized void answered(String answer) {
            answers.add(answer);
            if (!stopped) {
                sendNext();
            }
            checkMilestones();
        }

        /** Queues the next number behind the previous send: the JDK client takes one send at a time. */
        private void sendNext() {
            String number = String.valueOf(++sent);
            sending = sending.thenCompose(done -> socket.sendText(number, true));
        }

        private void checkMilestones() {
            milestones.removeIf(milestone -> {
                if (milestone.condition().test(this)) {
                    milestone.reached().complete(null);
                    return true;
                }
                return false;
            });
        }

        @Override
        public synchronized String toString() {
            return "client (sent " + sent + ", answers " + answers.size()
                    + (answers.isEmpty() ? "" : ", last '" + answers.get(answers.size() - 1) + "'")
                    + (closed.isDone() ? ", closed " + closed : "") + ")";
        }
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * {@link Connection#setHandler}: the switch happens between two callbacks, the new handler's
 * {@code adopt} comes once and before its first message, and every message goes to exactly one
 * handler, in order — also when another thread switches while messages flow.
 */
class HandoffTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<CloseStatus> otherDisconnected = new CompletableFuture<>();

    private final ConnectionHandler other = new ConnectionHandler() {
        @Override
        public void adopt(Connection connection) {
            log.add("other.adopt");
        }

        @Override
        public void message(Connection connection, String text) {
            log.add("other:" + text);
            connection.send("other:" + text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            log.add("other.disconnect");
            otherDisconnected.complete(status);
        }
    };

    /** Hands the connection to {@link #other} on "switch", logging before and after the call. */
    private final ConnectionHandler first = new ConnectionHandler() {
        @Override
        public void connect(Connection connection) {
            log.add("first.connect");
        }

        @Override
        public void message(Connection connection, String text) {
            log.add("first:" + text);
            if (text.equals("switch")) {
                connection.setHandler(other);
                log.add("first:switch returned");
            }
            connection.send("first:" + text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            log.add("first.disconnect");
        }
    };

    @Test
    void setHandlerInMessageSendsTheNextMessageToTheOtherHandler() throws Exception {
        try (WebSocketServer server = Servers.local().route("/chat", first).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/chat")) {
            client.send(Frames.concat(client.textFrame("hello"), client.textFrame("switch"), client.textFrame("next")));
            assertEquals("first:hello", client.readFrame().text());
            assertEquals("first:switch", client.readFrame().text());
            assertEquals("other:next", client.readFrame().text());
            client.sendText("more");
            assertEquals("other:more", client.readFrame().text());
            client.sendClose(1000, "");
            assertEquals(1000, client.readFrame().closeCode());
            client.expectEof();
            assertEquals(1000, otherDisconnected.get(5, TimeUnit.SECONDS).code());
        }
        List<String> seen = List.copyOf(log);
        assertEquals(1, Collections.frequency(seen, "other.adopt"), seen::toString);
        assertTrue(seen.indexOf("other.adopt") < seen.indexOf("other:next"), seen::toString);
        assertTrue(!seen.contains("first.disconnect"), "the first handler heard of the connection again: " + seen);
        assertEquals(List.of("first.connect", "first:hello", "first:switch"), seen.subList(0, 3));
        assertEquals(List.of("other:next", "other:more", "other.disconnect"), seen.subList(seen.size() - 3, seen.size()));
    }

    /** Connection#setHandler: "a callback of the current handler in progress finishes, then handler.adopt(this) is called". */
    @Test
    void adoptComesAfterTheCallbackThatCalledSetHandlerReturns() throws Exception {
        try (WebSocketServer server = Servers.local().route("/chat", first).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/chat")) {
            client.sendText("switch");
            assertEquals("first:switch", client.readFrame().text());
            client.sendText("next");
            assertEquals("other:next", client.readFrame().text());
        }
        List<String> seen = List.copyOf(log);
        assertEquals(List.of("first.connect", "first:switch", "first:switch returned", "other.adopt", "other:next"),
                seen.subList(0, 5), "adopt ran inside the previous handler's callback");
    }

    /**
     * Another thread switches the connection from handler to handler while the client floods it
     * with numbered messages: each switch takes effect (its adopt comes), and every message is
     * delivered once, in order, to the handler that adopted the connection last.
     */
    @Test
    void setHandlerFromAnotherThreadWhileMessagesFlowLosesNothing() throws Exception {
        Tally tally = new Tally();
        Counting initial = new Counting("initial", tally);
        try (WebSocketServer server = Servers.local().route("/count", initial).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/count")) {
            Connection connection = initial.connected.get(5, TimeUnit.SECONDS);
            AtomicBoolean stopFlood = new AtomicBoolean();
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> flood(client, stopFlood));

            int rounds = 0;
            long from = System.nanoTime();
            try {
                while (RawWebSocketClient.millisSince(from) < 2500 && !flood.isDone()) {
                    Counting next = new Counting("h" + rounds, tally);
                    connection.setHandler(next);
                    assertTrue(next.adopted.await(2, TimeUnit.SECONDS),
                            "setHandler(" + next + ") in round " + rounds + " never took effect: no adopt within 2 s");
                    rounds++;
                }
            } finally {
                stopFlood.set(true);
            }
            int sent = flood.get(5, TimeUnit.SECONDS);
            client.sendText("end");
            String receivedEndBy = tally.end.get(5, TimeUnit.SECONDS);

            assertEquals(List.of(), tally.errors);
            assertEquals(sent, tally.delivered.get(), "messages delivered");
            assertEquals(tally.current.get().name, receivedEndBy);
            assertTrue(rounds > 10 && tally.delivered.get() > 1000, rounds + " switches, " + tally.delivered + " messages");
        }
    }

    /** Writes numbered text messages as fast as the connection takes them, until told to stop. */
    private static int flood(RawWebSocketClient client, AtomicBoolean stop) {
        int sent = 0;
        try {
            while (!stop.get()) {
                byte[][] batch = new byte[500][];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = client.textFrame(Integer.toString(sent++));
                }
                client.send(Frames.concat(batch));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sent;
    }

    /** What every {@link Counting} handler of one connection shares. */
    private static final class Tally {
        final AtomicReference<Counting> current = new AtomicReference<>();
        final AtomicInteger delivered = new AtomicInteger();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<String> end = new CompletableFuture<>();
    }

    /** Checks that each numbered message is the next one and reaches the handler that adopted the connection last. */
    private static final class Counting implements ConnectionHandler {
        final String name;
        final Tally tally;
        final CompletableFuture<Connection> connected = new CompletableFuture<>();
        final CountDownLatch adopted = new CountDownLatch(1);

        Counting(String name, Tally tally) {
            this.name = name;
            this.tally = tally;
        }

        @Override
        public void connect(Connection connection) {
            tally.current.set(this);
            connected.complete(connection);
        }

        @Override
        public void adopt(Connection connection) {
            if (adopted.getCount() == 0) {
                tally.errors.add(name + " adopted the connection twice");
            }
            tally.current.set(this);
            adopted.countDown();
        }

        @Override
        public void message(Connection connection, String text) {
            if (tally.current.get() != this) {
                tally.errors.add(name + " got message " + text + " after " + tally.current.get() + " adopted the connection");
            }
            if (text.equals("end")) {
                tally.end.complete(name);
                return;
            }
            int expected = tally.delivered.getAndIncrement();
            if (Integer.parseInt(text) != expected && tally.errors.size() < 10) {
                tally.errors.add(name + " got message " + text + " where " + expected + " was due");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

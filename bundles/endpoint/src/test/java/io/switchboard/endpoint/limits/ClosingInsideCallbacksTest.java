package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * A callback that closes a connection — another one on the same loop, or its own — while the
 * caller's pipelined frames are still being decoded from the loop's read buffer: no read may
 * happen inside the callback, so none of the caller's messages is lost and the close codes are
 * the peer's. Over TLS (where decrypted bytes wait inside the TLS layer) and plain sockets.
 */
class ClosingInsideCallbacksTest {
    private static final int PIPELINED = 50;

    private static WebSocketServer.Builder server(boolean tls) {
        WebSocketServer.Builder builder = Servers.local().loops(1);
        return tls ? builder.tls(TestKeys.server()) : builder;
    }

    private static RawWebSocketClient open(WebSocketServer server, boolean tls, String path) throws Exception {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client()) : RawWebSocketClient.connect(server.port());
        client.upgrade(path);
        return client;
    }

    /**
     * {@code first}, then messages m1, m2, … padded to {@code size} bytes, all in one write: over
     * TLS, in as many records as that takes (16 KiB of plaintext each), decrypted in turn.
     */
    private static byte[] pipeline(RawWebSocketClient client, String first, int size) {
        byte[][] frames = new byte[PIPELINED][];
        frames[0] = client.textFrame(first);
        for (int i = 1; i < PIPELINED; i++) {
            frames[i] = client.textFrame(padded("m" + i, size));
        }
        return Frames.concat(frames);
    }

    /** {@code text}, then spaces up to {@code size} characters. */
    private static String padded(String text, int size) {
        return text + " ".repeat(Math.max(0, size - text.length()));
    }

    /**
     * The other connection has a blocking handler that is busy, so its input waits: part of it,
     * often, in the TLS layer (a record read in part). Closing it must not read that input inside
     * the caller's callback. Ten rounds, since how much the TLS layer holds depends on how the
     * records arrive.
     */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void closingAnotherConnectionLosesNoneOfTheCallersPipelinedMessages(boolean tls) throws Exception {
        AtomicReference<CountDownLatch> busy = new AtomicReference<>();
        AtomicReference<CountDownLatch> release = new AtomicReference<>();
        Set<Connection> slowOnes = ConcurrentHashMap.newKeySet();
        ConnectionHandler slow = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                slowOnes.add(connection);
            }

            @Override
            public void message(Connection connection, String text) {
                busy.get().countDown();
                await(release.get());
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                slowOnes.remove(connection);
            }
        };
        ConnectionHandler closer = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                if (text.equals("close the other")) {
                    slowOnes.forEach(other -> other.close(CloseStatus.NORMAL, "closed by another"));
                }
                connection.send(text);
            }
        };
        try (WebSocketServer server = server(tls).route("/close", closer).blockingRoute("/slow", slow).start()) {
            for (int round = 0; round < 10; round++) {
                busy.set(new CountDownLatch(1));
                release.set(new CountDownLatch(1));
                try (RawWebSocketClient other = open(server, tls, "/slow");
                     RawWebSocketClient caller = open(server, tls, "/close")) {
                    other.send(pipeline(other, "first", 1000)); // several TLS records; the handler blocks on the first
                    assertTrue(busy.get().await(5, TimeUnit.SECONDS), "the slow handler did not start");
                    caller.send(pipeline(caller, "close the other", 10));
                    assertEquals("close the other", caller.readFrame().text());
                    for (int i = 1; i < PIPELINED; i++) {
                        Frame echo = caller.readFrame();
                        assertEquals("m" + i, echo.text().strip(), "round " + round + ": " + echo);
                    }
                    release.get().countDown();
                    Frame closed = other.readFrame();
                    assertEquals(CloseStatus.NORMAL, closed.closeCode(), closed::toString);
                } finally {
                    release.get().countDown();
                }
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void closingItsOwnConnectionHearsThePeersCloseCode(boolean tls) throws Exception {
        List<CompletableFuture<CloseStatus>> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                if (text.equals("close me")) {
                    connection.close(CloseStatus.NORMAL, "as asked");
                }
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                statuses.get(statuses.size() - 1).complete(status);
            }
        };
        try (WebSocketServer server = server(tls).route("/close", handler).start()) {
            for (int round = 0; round < 20; round++) {
                CompletableFuture<CloseStatus> status = new CompletableFuture<>();
                statuses.add(status);
                try (RawWebSocketClient client = open(server, tls, "/close")) {
                    client.send(pipeline(client, "close me", 1000));
                    Frame closed = client.readFrame();
                    assertTrue(closed.isClose(), closed::toString);
                    assertEquals(CloseStatus.NORMAL, closed.closeCode(), closed::toString);
                    client.sendClose(CloseStatus.NORMAL, "");
                    client.expectEof();
                }
                assertEquals(CloseStatus.NORMAL, status.get(5, TimeUnit.SECONDS).code(), "round " + round);
            }
        }
    }

    /**
     * A callback that sends for a long time (the client keeps reading, so the sends keep going
     * out) until the queue passes its cap: the close timeout counts from the Close, not from the
     * start of the loop's turn, so everything before the Close still arrives.
     */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void aLongCallbackEndingInAFailureStillDeliversItsClose(boolean tls) throws Exception {
        ConnectionHandler flood = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200); // longer than the close timeout
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(64 * 1024);
                while (connection.isOpen() && System.nanoTime() < until) {
                    connection.send(chunk.duplicate());
                }
                while (connection.isOpen()) {
                    connection.send(chunk.duplicate()); // until the queue passes its cap: 1008
                }
            }
        };
        try (WebSocketServer server = server(tls).closeTimeout(java.time.Duration.ofSeconds(1))
                .sendQueue(16 * 1024, 64 * 1024, 256 * 1024).route("/close", flood).start();
             RawWebSocketClient client = open(server, tls, "/close")) {
            client.sendText("go");
            while (true) {
                Frame frame = client.readFrame();
                if (frame.opcode() != io.switchboard.codec.Opcode.BINARY) {
                    assertEquals(CloseStatus.POLICY_VIOLATION, frame.closeCode(), frame::toString);
                    break;
                }
            }
        }
    }
}

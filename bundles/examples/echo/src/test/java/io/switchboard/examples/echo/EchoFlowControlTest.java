package io.switchboard.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * A client that streams 64 MiB into the echo without reading its answers. The echo pauses reading
 * while its send queue is above the high water mark, so the client is slowed by TCP: the queue
 * never holds more than the high water mark and one message, and once the client reads, every echo
 * arrives, once and in order. The same stream against an echo that does not pause ends in 1008.
 */
class EchoFlowControlTest {
    private static final int MESSAGE = 16 * 1024;
    private static final int MESSAGES = 4096; // 64 MiB: more than the queue's cap and every kernel buffer between the two ends
    /** The endpoint's defaults, stated here so that the bounds below read plainly. */
    private static final long LOW = 64 * 1024;
    private static final long HIGH = 256 * 1024;
    private static final long CAP = 16L * 1024 * 1024;
    /** A message's frame as the server writes it: a 4-byte header (16-bit length) and the payload. */
    private static final int ECHO_FRAME = MESSAGE + 4;
    /** A small receive window on the plain client, so that its kernel takes little of the stream. */
    private static final int CLIENT_RECEIVE_BUFFER = 64 * 1024;

    /** Wraps a handler and records what the test checks: the largest queue after a message, the first pause, the end. */
    static final class Watched implements ConnectionHandler {
        final ConnectionHandler echo;
        final AtomicLong maxBuffered = new AtomicLong();
        final CompletableFuture<Void> paused = new CompletableFuture<>();
        final CompletableFuture<CloseStatus> ended = new CompletableFuture<>();

        Watched(ConnectionHandler echo) {
            this.echo = echo;
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            echo.message(connection, data);
            maxBuffered.accumulateAndGet(connection.bufferedAmount(), Math::max);
            if (!connection.isWritable()) {
                paused.complete(null); // the echo pauses exactly when its queue is not writable
            }
        }

        @Override
        public void writable(Connection connection) {
            echo.writable(connection);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            ended.complete(status);
        }
    }

    @ParameterizedTest(name = "tls={0}, blocking={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void aClientThatDoesNotReadIsSlowedByTcpAndGetsEveryEchoOnceItReads(boolean tls, boolean blocking) throws Exception {
        Watched echo = new Watched(new EchoHandler());
        try (WebSocketServer server = start(tls, blocking, echo);
             RawWebSocketClient client = open(server, tls)) {
            Writer writer = new Writer(client);
            writer.start();
            echo.paused.get(30, TimeUnit.SECONDS);
            assertFalse(writer.done.isDone(), "the client's writes wait in TCP while the echo is paused");

            for (int i = 0; i < MESSAGES; i++) {
                Frame echoed = client.readFrame();
                assertEquals(Frames.BINARY, echoed.opcode(), echoed::toString);
                assertArrayEquals(payload(i), echoed.payload(), "echo " + i);
            }
            assertNull(writer.done.get(30, TimeUnit.SECONDS), "the writer finished");
            assertTrue(echo.maxBuffered.get() <= HIGH + ECHO_FRAME,
                    "the send queue held " + echo.maxBuffered.get() + " bytes, more than the high water mark and one message");
            client.sendClose(1000, "");
            assertEquals(1000, client.readUntilClose().closeCode());
            assertEquals(1000, echo.ended.get(5, TimeUnit.SECONDS).code());
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @CsvSource({"false", "true"})
    void anEchoThatDoesNotPauseClosesTheSameClientWith1008(boolean tls) throws Exception {
        Watched echo = new Watched(new ConnectionHandler() {
            @Override
            public void message(Connection connection, ByteBuffer data) {
                connection.send(data);
            }
        });
        try (WebSocketServer server = start(tls, false, echo);
             RawWebSocketClient client = open(server, tls)) {
            new Writer(client).start();
            assertEquals(CloseStatus.POLICY_VIOLATION, echo.ended.get(30, TimeUnit.SECONDS).code());
            assertTrue(echo.maxBuffered.get() > CAP, "queued " + echo.maxBuffered.get() + " bytes");
        }
    }

    private static WebSocketServer start(boolean tls, boolean blocking, ConnectionHandler handler) throws IOException {
        WebSocketServer.Builder builder = WebSocketServer.builder().name("echo-flow-test").host("127.0.0.1").port(0)
                .loops(1).sendQueue(LOW, HIGH, CAP);
        if (tls) {
            builder.tls(TestKeys.server());
        }
        return (blocking ? builder.blockingRoute("/echo", handler) : builder.route("/echo", handler)).start();
    }

    private static RawWebSocketClient open(WebSocketServer server, boolean tls) throws IOException {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client())
                : RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER);
        client.upgrade("/echo");
        return client;
    }

    /** Message {@code i}: its number, then bytes that differ from one message to the next. */
    private static byte[] payload(int i) {
        byte[] bytes = new byte[MESSAGE];
        ByteBuffer.wrap(bytes).putInt(i);
        for (int j = 4; j < MESSAGE; j++) {
            bytes[j] = (byte) (i * 31 + j);
        }
        return bytes;
    }

    /** Writes the whole stream on a thread of its own, as fast as TCP takes it. */
    private static final class Writer extends Thread {
        final RawWebSocketClient client;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Writer(RawWebSocketClient client) {
            super("stream writer");
            this.client = client;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    client.send(client.frame(Frames.BINARY, payload(i)));
                }
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e); // the server closing on the client that does not pause
            }
        }
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;

/**
 * The send queue against a client that does not read: not writable above the high water mark,
 * {@code writable()} once the client reads and the queue falls below the low one, and a close
 * with 1008 past the hard cap.
 */
class SendQueueTest {
    private static final int LOW = 16 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int CAP = 1024 * 1024;
    private static final int CHUNK = 32 * 1024;
    /** A chunk's frame on the wire: a 4-byte header (16-bit length) and the payload. */
    private static final int CHUNK_FRAME = CHUNK + 4;
    /** A small receive window on the client, so that the kernel cannot swallow the queue. */
    private static final int CLIENT_RECEIVE_BUFFER = 4096;

    private static final ByteBuffer PAYLOAD = ByteBuffer.allocate(CHUNK).asReadOnlyBuffer();

    /** What a handler saw right after each send: bytes queued, writable, refused at once. */
    record AfterSend(long buffered, boolean writable, boolean refused) {
    }

    @Test
    void notWritableAboveHighWaterAndWritableAgainOnceTheClientReads() throws Exception {
        int total = 8 * 1024 * 1024; // more than any kernel buffers between the two ends hold
        List<AfterSend> sends = new ArrayList<>();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<AfterSend> writableCalled = new CompletableFuture<>();
        AtomicInteger writableCalls = new AtomicInteger();
        CompletableFuture<AfterSend> atBarrier = new CompletableFuture<>();
        Recorder flood = new Recorder() {
            @Override
            public void connect(Connection connection) {
                for (int sent = 0; sent < total; sent += CHUNK) {
                    connection.send(PAYLOAD.duplicate());
                    sends.add(new AfterSend(connection.bufferedAmount(), connection.isWritable(), false));
                }
                opened.complete(connection);
            }

            @Override
            public void writable(Connection connection) {
                writableCalls.incrementAndGet();
                writableCalled.complete(new AfterSend(connection.bufferedAmount(), connection.isWritable(), false));
            }

            /** The barrier: what the connection looks like once the loop has read a message sent after the flood. */
            @Override
            public void message(Connection connection, String text) {
                atBarrier.complete(new AfterSend(connection.bufferedAmount(), connection.isWritable(), false));
            }
        };
        try (WebSocketServer server = Servers.local().sendQueue(LOW, HIGH, 64L * CAP).route("/flood", flood).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER)) {
            client.upgrade("/flood");
            Connection connection = opened.get(5, TimeUnit.SECONDS);
            for (AfterSend send : sends) {
                assertEquals(send.buffered() <= HIGH, send.writable(), () -> "after a send: " + send);
            }
            assertTrue(sends.get(0).writable() && !sends.get(1).writable(), "two chunks are above the high water mark");

            // The client reads nothing; a message it sends is a barrier: once the loop has read it,
            // whatever the loop did about the full socket before then is done.
            client.sendText("barrier");
            AfterSend barrier = atBarrier.get(5, TimeUnit.SECONDS);
            assertFalse(barrier.writable(), barrier::toString);
            assertTrue(barrier.buffered() > LOW, "the kernel took it all: " + barrier);
            assertEquals(0, writableCalls.get(), "writable() came before the client read anything");
            assertFalse(connection.isWritable());

            long received = 0;
            while (received < total) {
                Frame frame = client.readFrame();
                assertEquals(Opcode.BINARY, frame.opcode());
                received += frame.payload().length;
            }
            AfterSend atWritable = writableCalled.get(5, TimeUnit.SECONDS);
            assertTrue(atWritable.writable() && atWritable.buffered() < LOW, atWritable::toString);
            assertEquals(1, writableCalls.get());
            assertEquals(0, connection.bufferedAmount());
            assertTrue(connection.isWritable() && connection.isOpen());
        }
    }

    /** Within one callback: the send that takes the queue past the cap closes the connection, later sends are refused. */
    @Test
    void sendQueueOverTheCapClosesWith1008() throws Exception {
        List<AfterSend> sends = new ArrayList<>();
        Recorder flood = new Recorder() {
            @Override
            public void connect(Connection connection) {
                for (int i = 0; i < 2 * CAP / CHUNK; i++) {
                    boolean refused = connection.send(PAYLOAD.duplicate()).toCompletableFuture().isCompletedExceptionally();
                    sends.add(new AfterSend(connection.bufferedAmount(), connection.isWritable(), refused));
                }
                super.connect(connection);
            }
        };
        try (WebSocketServer server = Servers.local().sendQueue(LOW, HIGH, CAP).route("/flood", flood).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER)) {
            client.upgrade("/flood");
            Connection connection = flood.awaitConnect();
            int firstRefused = -1;
            for (int i = 0; i < sends.size() && firstRefused < 0; i++) {
                if (sends.get(i).refused()) {
                    firstRefused = i;
                }
            }
            assertTrue(firstRefused > 0, "no send was refused: " + sends);
            assertTrue(sends.get(firstRefused - 1).buffered() > CAP, "refused below the cap: " + sends.get(firstRefused - 1));
            if (firstRefused > 1) {
                assertTrue(sends.get(firstRefused - 2).buffered() <= CAP, "not closed at the first send over the cap");
            }
            assertTrue(sends.subList(firstRefused, sends.size()).stream().allMatch(AfterSend::refused));
            assertFalse(connection.isOpen());

            assertClosedWith1008AfterDraining(client, (firstRefused - 1) * (long) CHUNK);
            client.hangUp();
            assertEquals(CloseStatus.POLICY_VIOLATION, flood.awaitDisconnect().status().code());
        }
    }

    /** A producer thread that ignores writability: the queue is capped however fast it sends. */
    @Test
    void producerThreadThatIgnoresWritabilityIsClosedWith1008() throws Exception {
        CompletableFuture<Long> refusedAfter = new CompletableFuture<>();
        Recorder flood = new Recorder() {
            @Override
            public void connect(Connection connection) {
                super.connect(connection);
                Thread producer = new Thread(() -> {
                    for (long sent = 0; sent < 64L * CAP; sent += CHUNK) {
                        if (connection.send(PAYLOAD.duplicate()).toCompletableFuture().isCompletedExceptionally()) {
                            refusedAfter.complete(sent);
                            return;
                        }
                    }
                    refusedAfter.completeExceptionally(new AssertionError("64 MiB queued and never refused"));
                }, "producer");
                producer.setDaemon(true);
                producer.start();
            }
        };
        try (WebSocketServer server = Servers.local().closeTimeout(Duration.ofSeconds(2))
                .sendQueue(LOW, HIGH, CAP).route("/flood", flood).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER)) {
            client.upgrade("/flood");
            Connection connection = flood.awaitConnect();
            long sent = refusedAfter.get(5, TimeUnit.SECONDS);
            assertTrue(sent >= CAP, "refused after " + sent + " bytes");
            assertFalse(connection.isOpen());

            assertClosedWith1008AfterDraining(client, 0);
            client.hangUp();
            assertEquals(CloseStatus.POLICY_VIOLATION, flood.awaitDisconnect().status().code());
        }
    }

    /** Reads the queued messages, then the close frame with 1008, then the end of the stream. */
    private static void assertClosedWith1008AfterDraining(RawWebSocketClient client, long atLeast) throws Exception {
        long drained = 0;
        Frame frame;
        while (!(frame = client.readFrame()).isClose()) {
            assertEquals(Opcode.BINARY, frame.opcode());
            drained += frame.payload().length;
        }
        assertTrue(drained >= atLeast, "drained " + drained + " bytes, expected at least " + atLeast);
        assertEquals(1008, frame.closeCode(), frame.toString());
        assertEquals("send queue over " + CAP + " bytes", frame.closeReason());
        client.expectEof();
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * Messages a handler sends from its callback go through the loop's output buffer. When the
 * socket takes only part of them (a client that does not read), the rest must still arrive whole
 * and in order, behind nothing and ahead of what is sent later, and every stage must complete.
 */
class LoopOutputTest {
    /** Each request is answered with a burst that fits the loop's 64 KiB output buffer. */
    private static final int PER_BURST = 6;
    private static final int SIZE = 10_000;
    /** 100 bursts: 6 MB, more than the kernel buffers between the two ends take (4 MiB at most here). */
    private static final int BURSTS = 100;
    private static final int CLIENT_RECEIVE_BUFFER = 4096;

    @Test
    void burstsToAClientThatDoesNotReadArriveWholeAndInOrder() throws Exception {
        List<CompletionStage<Void>> stages = new CopyOnWriteArrayList<>();
        ByteBuffer reused = ByteBuffer.allocate(SIZE);
        int[] next = {0};
        Semaphore burstsSent = new Semaphore(0);
        Recorder burst = new Recorder() {
            @Override
            public void message(Connection connection, String text) {
                for (int i = 0; i < PER_BURST; i++) {
                    // one buffer for every send: send copies what it needs before returning
                    stages.add(connection.send(fill(reused, next[0]++)));
                    assertEquals(0, reused.position(), "send moved the caller's buffer");
                }
                burstsSent.release();
            }
        };
        try (WebSocketServer server = Servers.local().sendQueue(16 * 1024, 64 * 1024, 64L * 1024 * 1024)
                .route("/burst", burst).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER)) {
            client.upgrade("/burst");
            for (int i = 0; i < BURSTS; i++) {
                client.sendText("go");
                client.sendPing(Frames.utf8("ping " + i)); // pongs may come between frames, never inside one
                // the next request only once this burst is sent: one burst per loop turn
                assertTrue(burstsSent.tryAcquire(5, TimeUnit.SECONDS), "burst " + i + " was not sent");
            }
            int pongs = 0;
            for (int i = 0; i < BURSTS * PER_BURST; i++) {
                Frame frame = client.readFrame();
                if (frame.opcode() == Opcode.PONG) {
                    pongs++;
                    i--;
                    continue;
                }
                assertEquals(Opcode.BINARY, frame.opcode(), frame::toString);
                assertArrayEquals(fill(ByteBuffer.allocate(SIZE), i).array(), frame.payload(), "message " + i);
            }
            assertTrue(pongs > 0, "no ping was answered");
            for (CompletionStage<Void> stage : stages) {
                stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            assertTrue(stages.stream().distinct().count() < stages.size(), "no stage was shared by messages written together");
        }
    }

    /**
     * Messages sent in one loop turn go out in one write, and may share a stage: one that no
     * sender can complete, cancel or obtrude, so that one sender cannot change what another
     * message's sender is told.
     */
    @Test
    void oneSenderCannotChangeTheStageOfAnotherMessage() throws Exception {
        CompletableFuture<List<CompletionStage<Void>>> sent = new CompletableFuture<>();
        CompletableFuture<Boolean> doneBeforeWritten = new CompletableFuture<>();
        Recorder twice = new Recorder() {
            @Override
            public void message(Connection connection, String text) {
                CompletionStage<Void> first = connection.send("first");
                CompletionStage<Void> second = connection.send("second");
                // the first sender meddles with its own stage, in every way the type allows
                first.toCompletableFuture().cancel(true);
                first.toCompletableFuture().completeExceptionally(new IllegalStateException("meddling"));
                if (first instanceof CompletableFuture<Void> open) {
                    IllegalStateException meddling = new IllegalStateException("meddling");
                    for (Runnable attempt : List.<Runnable>of(() -> open.complete(null), () -> open.completeExceptionally(meddling),
                            () -> open.cancel(true), () -> open.obtrudeValue(null), () -> open.obtrudeException(meddling),
                            () -> open.orTimeout(1, TimeUnit.NANOSECONDS), () -> open.completeOnTimeout(null, 1, TimeUnit.NANOSECONDS),
                            () -> open.completeAsync(() -> null, Runnable::run))) {
                        try {
                            attempt.run();
                        } catch (UnsupportedOperationException refused) {
                            // a read-only stage: as it should be
                        }
                    }
                }
                // Still inside the callback, nothing is written yet: a stage done now was meddled with.
                doneBeforeWritten.complete(second.toCompletableFuture().isDone());
                sent.complete(List.of(first, second));
            }
        };
        try (WebSocketServer server = Servers.local().route("/twice", twice).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/twice")) {
            client.sendText("go");
            assertEquals("first", client.readFrame().text());
            assertEquals("second", client.readFrame().text());
            List<CompletionStage<Void>> stages = sent.get(5, TimeUnit.SECONDS);
            assertFalse(doneBeforeWritten.get(5, TimeUnit.SECONDS), "a sender completed the shared stage before the write");
            assertNull(stages.get(1).toCompletableFuture().get(5, TimeUnit.SECONDS), "the second message was written");
            assertNull(stages.get(0).toCompletableFuture().get(5, TimeUnit.SECONDS), "the first message was written too");
        }
    }

    /** Two connections whose handlers answer in the same loop turn: neither one's bytes leak into the other's. */
    @Test
    void connectionsTakingTurnsInOneLoopEachGetTheirOwnAnswers() throws Exception {
        Recorder echo = new Recorder() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text + " 1");
                connection.send(text + " 2");
            }
        };
        try (WebSocketServer server = Servers.local().loops(1).route("/echo", echo).start();
             RawWebSocketClient first = RawWebSocketClient.open(server.port(), "/echo");
             RawWebSocketClient second = RawWebSocketClient.open(server.port(), "/echo")) {
            for (int round = 0; round < 100; round++) {
                first.sendText("first " + round);
                second.sendText("second " + round);
                assertEquals("first " + round + " 1", first.readFrame().text());
                assertEquals("first " + round + " 2", first.readFrame().text());
                assertEquals("second " + round + " 1", second.readFrame().text());
                assertEquals("second " + round + " 2", second.readFrame().text());
            }
        }
    }

    /**
     * Messages larger than the loop's buffer arrive in pieces, are put together in a direct buffer
     * and, echoed, go to the socket from that buffer. When the socket takes only part of one, the
     * rest must be copied before the buffer is reused for the next message.
     */
    @Test
    void largeEchoesToAClientThatDoesNotReadArriveIntact() throws Exception {
        int messages = 32; // 8 MiB, more than the kernel buffers between the two ends take
        int size = 256 * 1024;
        CountDownLatch echoLeftQueued = new CountDownLatch(1);
        Recorder echo = new Recorder() {
            @Override
            public void message(Connection connection, ByteBuffer data) {
                if (!connection.send(data).toCompletableFuture().isDone()) {
                    echoLeftQueued.countDown();
                }
            }
        };
        try (WebSocketServer server = Servers.local().sendQueue(16 * 1024, 64 * 1024, 64L * 1024 * 1024)
                .route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), CLIENT_RECEIVE_BUFFER)) {
            client.upgrade("/echo");
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        client.sendFrame(true, Opcode.BINARY, fill(ByteBuffer.allocate(size), i).array());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertTrue(echoLeftQueued.await(10, TimeUnit.SECONDS), "the socket took every echo whole");
            for (int i = 0; i < messages; i++) {
                Frame frame = client.readFrame();
                assertEquals(Opcode.BINARY, frame.opcode(), frame::toString);
                assertArrayEquals(fill(ByteBuffer.allocate(size), i).array(), frame.payload(), "message " + i);
            }
            sent.get(5, TimeUnit.SECONDS);
        }
    }

    /** The index in the first four bytes, then bytes derived from it. */
    private static ByteBuffer fill(ByteBuffer buffer, int index) {
        buffer.clear();
        buffer.putInt(index);
        while (buffer.hasRemaining()) {
            buffer.put((byte) (index + buffer.position()));
        }
        return buffer.flip();
    }
}

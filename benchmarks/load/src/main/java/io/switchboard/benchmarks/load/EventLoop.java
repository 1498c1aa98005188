package io.switchboard.benchmarks.load;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The one selector thread that drives every connection. All connections share one read buffer:
 * each read is parsed completely before the next, so no connection needs a buffer of its own.
 * Every run of the loop ends at a deadline, so no phase can wait forever.
 */
final class EventLoop implements Closeable {
    /** What a selection key's attachment is: a connection, or the fan-out publisher. */
    interface Handler {
        /** Handles the ready operations of its key; failures are the handler's to report. */
        void handle(int readyOps, ByteBuffer readBuffer);
    }

    private static final long DEFAULT_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int READ_BUFFER_SIZE = 256 * 1024;

    private final long tickNanos;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final Consumer<SelectionKey> dispatch;
    private RunFailure failure;

    EventLoop() throws IOException {
        this(DEFAULT_TICK_NANOS);
    }

    /** A loop whose {@code tick} comes about every {@code tickNanos} (at least a millisecond apart). */
    EventLoop(long tickNanos) throws IOException {
        this.tickNanos = tickNanos;
        this.selector = Selector.open();
        this.dispatch = key -> ((Handler) key.attachment()).handle(key.readyOps(), readBuffer);
    }

    Selector selector() {
        return selector;
    }

    /** The shared buffer, for work outside a readiness event (a connect that completed at once). */
    ByteBuffer scratch() {
        return readBuffer;
    }

    /** Ends the current run of the loop with this failure (the first one reported wins). */
    void abort(RunFailure reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /**
     * Handles events until {@code done} holds or the deadline passes, calling {@code tick} about
     * every 100 ms (or the loop's own tick) with the current nanoTime.
     *
     * @return true if done, false if the deadline passed first
     */
    boolean runUntil(long deadlineNanos, BooleanSupplier done, LongConsumer tick) throws RunFailure {
        long nextTick = System.nanoTime() + tickNanos;
        while (true) {
            if (failure != null) {
                throw failure;
            }
            if (done.getAsBoolean()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                return false;
            }
            if (now - nextTick >= 0) {
                tick.accept(now);
                nextTick = now + tickNanos;
                continue;
            }
            long waitNanos = Math.min(deadlineNanos, nextTick) - now;
            try {
                selector.select(dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
            } catch (IOException e) {
                throw new RunFailure("the selector failed: " + e.getMessage(), e);
            }
        }
    }

    /** Handles events for {@code nanos}. */
    void runFor(long nanos, LongConsumer tick) throws RunFailure {
        runUntil(System.nanoTime() + nanos, () -> false, tick);
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}

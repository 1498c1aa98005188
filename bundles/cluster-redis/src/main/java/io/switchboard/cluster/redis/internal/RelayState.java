package io.switchboard.cluster.redis.internal;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import io.switchboard.cluster.redis.RelayStatistics;

/**
 * The relay's counters and connection flags, shared by the publisher's thread, the subscriber's
 * thread and the senders. Thread-safe: counters are adders, the flags and the last error are
 * guarded by this object's monitor, which also wakes whoever waits for the relay to be up.
 */
public final class RelayState {
    final LongAdder relayed = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder rejected = new LongAdder();
    private boolean publishing;
    private boolean subscribed;
    private String lastError;
    /** Counts the changes of the flags, the error and the relayed count, for waiting for the next one. */
    private long changes;

    synchronized void publishing(boolean up) {
        publishing = up;
        changed();
    }

    synchronized void subscribed(boolean up) {
        subscribed = up;
        changed();
    }

    /** A batch is in Redis; wakes whoever waits for the count. */
    synchronized void relayed(int messages) {
        relayed.add(messages);
        changed();
    }

    synchronized void error(String error) {
        lastError = error;
        changed();
    }

    private void changed() {
        changes++;
        notifyAll();
    }

    public synchronized long changes() {
        return changes;
    }

    /** Waits until there was a change after the given count, or the deadline (System.nanoTime) passed. */
    public synchronized void awaitChangeAfter(long seen, long deadline) throws InterruptedException {
        while (changes == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until both connections are up; false if they were not within the time. */
    public synchronized boolean awaitRelaying(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!(publishing && subscribed)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public synchronized RelayStatistics snapshot(long queuedBytes, long peakQueuedBytes) {
        return new RelayStatistics(relayed.sum(), received.sum(), dropped.sum(), rejected.sum(), queuedBytes,
                peakQueuedBytes, publishing, subscribed, lastError);
    }
}

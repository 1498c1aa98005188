package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The fan-out run's ledger, on the selector thread: which published messages every subscriber has
 * received, and the window that makes the publisher wait for them. A message is complete once
 * all {@code subscribers} have it; since each subscriber receives in order (its
 * {@link FanOutReceiver} checks), messages complete in order, and a ring of {@code window}
 * counters is all the state. Deliveries and their latencies count inside the measurement window
 * only.
 */
final class Deliveries {
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int subscribers;
    private final int[] received;
    private final Histogram latencies = new Histogram(MAX_LATENCY_NANOS, 3);
    private Runnable onComplete = () -> { };
    private long published;
    private long completed;
    private long lastDelivery;
    private boolean recording;
    private long windowDeliveries;

    Deliveries(int subscribers, int window) {
        this.subscribers = subscribers;
        this.received = new int[window];
    }

    /** Called when messages complete, so that the publisher can fill the window again. */
    void onComplete(Runnable listener) {
        this.onComplete = listener;
    }

    boolean canPublish() {
        return published - completed < received.length;
    }

    /** The sequence number of the message being published now. */
    long publish(long now) {
        if (published == completed) {
            lastDelivery = now; // the stall clock starts with the first message in flight
        }
        return published++;
    }

    /** Subscriber got message {@code seq} {@code latencyNanos} after it was published. */
    void delivered(long seq, long latencyNanos, long now) throws ProtocolException {
        if (seq < completed || seq >= published) {
            throw new ProtocolException("message " + seq + " delivered, but only " + completed + " to " + published
                    + " are in flight");
        }
        lastDelivery = now;
        if (recording) {
            latencies.recordValue(Math.min(Math.max(latencyNanos, 0), MAX_LATENCY_NANOS));
            windowDeliveries++;
        }
        int slot = (int) (seq % received.length);
        if (++received[slot] < subscribers || seq != completed) {
            return;
        }
        while (completed < published && received[(int) (completed % received.length)] == subscribers) {
            received[(int) (completed % received.length)] = 0;
            completed++;
        }
        onComplete.run();
    }

    long published() {
        return published;
    }

    long inFlight() {
        return published - completed;
    }

    /** How many subscribers have the oldest message not yet complete. */
    int receivedOldest() {
        return received[(int) (completed % received.length)];
    }

    long lastDelivery() {
        return lastDelivery;
    }

    void startWindow() {
        latencies.reset();
        windowDeliveries = 0;
        recording = true;
    }

    void endWindow() {
        recording = false;
    }

    long windowDeliveries() {
        return windowDeliveries;
    }

    /** Publish-to-receive latency at {@code percentile}, in microseconds. */
    double percentileMicros(double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }
}

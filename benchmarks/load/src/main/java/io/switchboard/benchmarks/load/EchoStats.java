package io.switchboard.benchmarks.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Round-trip times and the message count, recorded only inside the measurement window. */
final class EchoStats {
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram latencies = new Histogram(MAX_LATENCY_NANOS, 3);
    private boolean recording;
    private long messages;

    void record(long latencyNanos) {
        if (recording) {
            latencies.recordValue(Math.min(Math.max(latencyNanos, 0), MAX_LATENCY_NANOS));
            messages++;
        }
    }

    void startWindow() {
        latencies.reset();
        messages = 0;
        recording = true;
    }

    void endWindow() {
        recording = false;
    }

    long messages() {
        return messages;
    }

    /** The latency at {@code percentile} in microseconds. */
    double percentileMicros(double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }
}

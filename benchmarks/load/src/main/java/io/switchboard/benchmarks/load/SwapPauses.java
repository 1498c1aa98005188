package io.switchboard.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The figures of S7, per measurement window (the baseline, and the one with the swap):
 *
 * <ul>
 *   <li>each connection's <b>pause</b>: the longest answer delay (send → echo) of any message it
 *       sent in the window; summarised over the connections (median, p99, max);
 *   <li>every message's answer delay, by the time it was sent (p50, p99);
 *   <li>the <b>silence</b>: the longest stretch of the window in which no answer arrived on any
 *       connection. Traffic is spread evenly, so in a window without a swap this is about the
 *       interval between two answers; a swap that holds every connection shows as one long silence;
 *   <li>the <b>delay profile</b>: the longest answer delay of the messages sent in each
 *       {@value #SLICE_MILLIS} ms of the window, which shows how long a swap disturbs the traffic
 *       beyond its silence (the backlog, a cold code path) and whether a hiccup was the swap's.
 * </ul>
 *
 * Selector thread only.
 */
final class SwapPauses {
    private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final long SLICE_MILLIS = 100;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
    /** The profile covers the first 10 minutes of a window, far beyond any measurement window. */
    private static final int MAX_SLICES = 6000;

    /** One window, [start, end) in nanoTime. */
    static final class Window {
        final String name;
        final long start;
        final long end;
        /** Per connection, the longest delay of a message sent in the window; -1 before any. */
        private final long[] longest;
        private final Histogram delays = new Histogram(MAX_DELAY_NANOS, 3);
        /** Per slice of the window, by the time a message was sent, the longest delay; -1 before any. */
        private final long[] slowestPerSlice;
        private long lastAnswer;
        private long longestSilence;
        private long longestSilenceStart;

        private Window(String name, long start, long end, int connections) {
            if (end <= start) {
                throw new IllegalArgumentException("a window ends after it starts");
            }
            this.name = name;
            this.start = start;
            this.end = end;
            this.longest = new long[connections];
            Arrays.fill(longest, -1);
            this.slowestPerSlice = new long[(int) Math.min((end - start - 1) / SLICE_NANOS + 1, MAX_SLICES)];
            Arrays.fill(slowestPerSlice, -1);
            this.lastAnswer = start;
            this.longestSilenceStart = start;
        }

        private void answered(int connection, long sentAt, long answeredAt) {
            long delay = answeredAt - sentAt;
            if (sentAt - start >= 0 && sentAt - end < 0) {
                longest[connection] = Math.max(longest[connection], delay);
                long slice = (sentAt - start) / SLICE_NANOS;
                if (slice < slowestPerSlice.length) {
                    slowestPerSlice[(int) slice] = Math.max(slowestPerSlice[(int) slice], delay);
                }
                delays.recordValue(Math.min(Math.max(delay, 0), MAX_DELAY_NANOS));
            }
            if (answeredAt - start >= 0 && answeredAt - end < 0) {
                if (answeredAt - lastAnswer > longestSilence) {
                    longestSilence = answeredAt - lastAnswer;
                    longestSilenceStart = lastAnswer;
                }
                lastAnswer = answeredAt;
            }
        }

        /** Messages sent in the window (and answered: the run checks that all were). */
        long messages() {
            return delays.getTotalCount();
        }

        /** The connections that sent at least one message in the window. */
        int connections() {
            return (int) Arrays.stream(longest).filter(delay -> delay >= 0).count();
        }

        /** The pause at {@code percentile} over the connections that sent in the window (nearest rank). */
        long pauseNanos(double percentile) {
            long[] pauses = Arrays.stream(longest).filter(delay -> delay >= 0).sorted().toArray();
            if (pauses.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(percentile / 100 * pauses.length);
            return pauses[Math.max(rank, 1) - 1];
        }

        /** A message's answer delay at {@code percentile}, over the messages sent in the window. */
        long delayNanos(double percentile) {
            return delays.getValueAtPercentile(percentile);
        }

        /** Per {@value #SLICE_MILLIS} ms of the window, the longest delay of a message sent in it (-1: none sent). */
        long[] delayProfileNanos() {
            return slowestPerSlice.clone();
        }

        /** The longest stretch without an answer, counting the window's edges; call after the window ended. */
        long silenceNanos() {
            return Math.max(longestSilence, end - lastAnswer);
        }

        /** When the longest silence began (nanoTime), to place it among the swap's steps; after the window. */
        long silenceStartNanos() {
            return end - lastAnswer > longestSilence ? lastAnswer : longestSilenceStart;
        }
    }

    private final int connections;
    private final List<Window> windows = new ArrayList<>();

    SwapPauses(int connections) {
        this.connections = connections;
    }

    /** Starts counting a window; answers are attributed to every window they fall in. */
    Window window(String name, long start, long end) {
        Window window = new Window(name, start, end, connections);
        windows.add(window);
        return window;
    }

    /** Connection {@code connection}'s message sent at {@code sentAt} was answered at {@code answeredAt}. */
    void answered(int connection, long sentAt, long answeredAt) {
        for (Window window : windows) {
            window.answered(connection, sentAt, answeredAt);
        }
    }
}

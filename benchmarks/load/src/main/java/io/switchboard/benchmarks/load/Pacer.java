package io.switchboard.benchmarks.load;

import java.util.function.IntConsumer;

/**
 * The schedule of paced traffic (S7): each of {@code n} connections sends one message per pace,
 * connection i at {@code start + k × pace + i × pace / n}, so that the sends of all connections are
 * spread evenly over every pace instead of coming in one burst. Selector thread only.
 */
final class Pacer {
    private final int connections;
    private final long paceNanos;
    private final long startNanos;
    private long round;
    private int next;

    Pacer(int connections, long paceNanos, long startNanos) {
        if (connections < 1 || paceNanos < 1) {
            throw new IllegalArgumentException("a pace needs connections and a positive period");
        }
        this.connections = connections;
        this.paceNanos = paceNanos;
        this.startNanos = startNanos;
    }

    /** When the next send is due (nanoTime). */
    long nextDue() {
        return startNanos + round * paceNanos + next * paceNanos / connections;
    }

    /**
     * Hands {@code send} the index of every connection whose send is due at {@code now}, in the
     * order they fell due; a loop that came late catches up at once.
     *
     * @return how many sends were due
     */
    int sendDue(long now, IntConsumer send) {
        int due = 0;
        while (nextDue() - now <= 0) {
            send.accept(next);
            due++;
            if (++next == connections) {
                next = 0;
                round++;
            }
        }
        return due;
    }
}

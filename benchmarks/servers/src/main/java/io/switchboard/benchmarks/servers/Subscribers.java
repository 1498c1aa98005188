package io.switchboard.benchmarks.servers;

/**
 * How many fan-out subscribers a server has taken in, so that the load generator can wait until
 * every subscriber it connected will receive the first message before it publishes (a 101 can
 * reach the client before the server has added the connection to its set). Any thread: the
 * server's threads count, the control port's thread waits.
 */
final class Subscribers {
    private int count;

    /** Called once a subscriber is where the next published message will reach it. */
    synchronized void joined() {
        count++;
        notifyAll();
    }

    synchronized void left() {
        count--;
    }

    /**
     * Waits until at least {@code expected} subscribers have joined, or {@code timeoutMillis} passed.
     *
     * @return the count then, which is below {@code expected} after a timeout
     */
    synchronized int awaitAtLeast(int expected, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (count < expected) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                break;
            }
            wait(leftMillis);
        }
        return count;
    }
}

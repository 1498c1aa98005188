package io.switchboard.benchmarks.load;

/**
 * The benchmark scenarios and their defaults; every default can be overridden on the command line.
 */
enum Scenario {
    /** Latency: many connections, one message in flight each, small text messages. */
    S1(100, 1, 64, true),
    /** Throughput: many connections, pipelined small binary messages. */
    S2(1000, 16, 64, false),
    /** Bulk: few connections carrying 1 MiB binary messages. */
    S3(4, 1, 1 << 20, false),
    /** Connection setup: open connections as fast as possible, then hold them idle. */
    S4(10_000, 1, 64, true),
    /**
     * Fan-out: one publisher, many subscribers that each receive every message; "connections" are
     * the subscribers and "in flight" the publisher's window of messages not yet received by all.
     */
    S6(1000, 8, 64, false),
    /**
     * Swap pause: many connections, each sending a small text message at a fixed pace, while the
     * server's handler bundle is updated; "in flight" is the most a connection may have unanswered.
     */
    S7(10_000, 64, 32, true);

    final int connections;
    final int inFlight;
    final int size;
    final boolean text;

    Scenario(int connections, int inFlight, int size, boolean text) {
        this.connections = connections;
        this.inFlight = inFlight;
        this.size = size;
        this.text = text;
    }

    /** Whether the scenario's connections echo messages; S4 only opens connections, S6 publishes. */
    boolean echoes() {
        return this != S4 && this != S6;
    }
}

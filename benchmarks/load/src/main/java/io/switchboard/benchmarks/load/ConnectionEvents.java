package io.switchboard.benchmarks.load;

/** What the run learns from its connections; called on the selector thread. */
interface ConnectionEvents {
    /** The upgrade succeeded (101 and a valid accept). */
    void opened(Connection connection, long nanoTime);

    /**
     * The connection failed and is closed.
     *
     * @param wasOpen false when the handshake failed, true when an open connection failed
     */
    void failed(Connection connection, boolean wasOpen, String reason);

    /** The connection closed after {@link Connection#beginClose()}. */
    void closed(Connection connection);
}

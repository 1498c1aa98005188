package io.switchboard.benchmarks.servers;

/**
 * One of the servers under test. Every implementation listens on {@link #HOST} only, echoes each
 * whole message with the opcode it came with, and uses the same limits, so that the comparison
 * measures the libraries rather than their settings.
 */
interface EchoServer {
    /** Loopback only: the benchmark runs client and server on one machine. */
    String HOST = "127.0.0.1";

    /** The largest message (and frame) every WebSocket server accepts. */
    int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    /**
     * The listen backlog, where the library lets us set it: Switchboard's own, so that connection
     * storms meet the same accept queue everywhere.
     */
    int BACKLOG = 1024;

    /**
     * Binds the port and starts serving, on the server's own threads.
     *
     * @return the port it listens on (the actual one when {@code --port 0} was asked for)
     * @throws IllegalArgumentException if the server does not support an option that was given
     */
    int start(Options options) throws Exception;
}

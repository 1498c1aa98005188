package io.switchboard.benchmarks.load;

/**
 * What a {@link Connection} does with the frames it reads: echoes of its own messages
 * ({@link EchoReceiver}, or {@link SwapReceiver} for paced ones) or a fan-out subscriber's
 * deliveries ({@link FanOutReceiver}). Called on
 * the selector thread only.
 */
interface Receiver extends FrameParser.Handler {
    /** Echoes of this connection's own messages completed since the last call; a subscriber has none. */
    default int takeCompleted() {
        return 0;
    }

    /** The pings and the close this receiver has read. */
    ControlFrames control();

    /** The payload of the latest ping not yet answered, or null; a newer ping replaces an older one. */
    default byte[] takePing() {
        return control().takePing();
    }

    default boolean closeReceived() {
        return control().closeReceived();
    }

    default String describeClose() {
        return control().describeClose();
    }

    /** The data messages received so far. */
    long messages();

    /** In a deflate run, the messages the server sent without compressing them. */
    default long uncompressedMessages() {
        return 0;
    }
}

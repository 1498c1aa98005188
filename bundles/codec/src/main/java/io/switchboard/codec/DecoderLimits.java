package io.switchboard.codec;

/**
 * The bounds on what a peer may make the decoder hold. Sizes count payload bytes after
 * inflation, so a compressed message cannot grow past them.
 *
 * @param maxFrameSize   the largest payload a single frame may declare (1009 above it); decided from
 *                       the frame header, before any payload is read
 * @param maxMessageSize the largest message, all fragments together and after inflation (1009)
 * @param maxFragments   the most frames one data message may be split into (1009): endless empty
 *                       continuation frames would otherwise keep a connection busy for ever
 */
public record DecoderLimits(int maxFrameSize, int maxMessageSize, int maxFragments) {
    /** 1 MiB: between Jetty and Netty's 64 KiB, too small for many apps, and WebSocket++'s 32 MB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    /** 4096 fragments: a 1 MiB message in 256-byte frames, far more than clients use. */
    public static final int DEFAULT_MAX_FRAGMENTS = 4096;
    /** 1 MiB messages, frames as large as a message, 4096 fragments. */
    public static final DecoderLimits DEFAULT =
            new DecoderLimits(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_FRAGMENTS);

    public DecoderLimits {
        if (maxFrameSize < 125) {
            throw new IllegalArgumentException("maxFrameSize must be at least 125 (a control frame), was " + maxFrameSize);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
        if (maxFragments < 1) {
            throw new IllegalArgumentException("maxFragments must be positive, was " + maxFragments);
        }
    }

    /** Limits where a message (and so a frame) may be as large as {@code maxMessageSize}. */
    public static DecoderLimits ofMessageSize(int maxMessageSize, int maxFragments) {
        return new DecoderLimits(Math.max(125, maxMessageSize), maxMessageSize, maxFragments);
    }
}

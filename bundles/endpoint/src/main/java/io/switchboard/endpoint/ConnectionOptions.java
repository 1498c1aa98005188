package io.switchboard.endpoint;

import java.time.Duration;
import java.util.Objects;

import io.switchboard.codec.DecoderLimits;

/**
 * What a server's and a client's connections have in common: how much the peer may send, how
 * long a connection waits, and how much it queues. {@link WebSocketServer.Builder} and
 * {@link WebSocketClient.Builder} take these settings with their own. Not thread-safe, as a
 * builder.
 *
 * @param <B> the builder, which each setter returns
 */
public abstract class ConnectionOptions<B extends ConnectionOptions<B>> {
    int maxMessageSize = DecoderLimits.DEFAULT_MAX_MESSAGE_SIZE;
    int maxFrameSize = -1;
    int maxFragments = DecoderLimits.DEFAULT_MAX_FRAGMENTS;
    Duration closeTimeout = Duration.ofSeconds(5);
    Duration idleTimeout = Duration.ZERO;
    Duration pingInterval = Duration.ZERO;
    long sendLowWater = 64 * 1024;
    long sendHighWater = 256 * 1024;
    long sendQueueCap = 16L * 1024 * 1024;

    ConnectionOptions() { // the two builders of this package only
    }

    abstract B self();

    /**
     * The largest message the peer may send, text or binary, counted after permessage-deflate
     * inflation; default 1 MiB. Larger is refused with 1009. A message the handler receives in
     * parts ({@code Connection.receiveInParts}) is not held, and not bound by this.
     */
    public B maxMessageSize(int bytes) {
        this.maxMessageSize = bytes;
        return self();
    }

    /** The largest single frame the peer may send; default: the message size. Larger gets 1009. */
    public B maxFrameSize(int bytes) {
        this.maxFrameSize = bytes;
        return self();
    }

    /** The most frames one message may be split into; default 4096. More gets 1009 (not for a message received in parts). */
    public B maxFragments(int fragments) {
        this.maxFragments = fragments;
        return self();
    }

    /** How long to wait for the peer's side of the closing handshake; default 5 s, then the socket closes. */
    public B closeTimeout(Duration timeout) {
        this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /** Close connections whose peer sent nothing for this long, with 1001; default zero: never. */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * Ping connections whose peer sent nothing for this long, and close with 1001 those that do
     * not answer within the same time; default zero: no keepalive pings.
     */
    public B pingInterval(Duration interval) {
        this.pingInterval = Objects.requireNonNull(interval, "interval");
        return self();
    }

    /**
     * The send queue's bounds, in bytes queued and not yet written: above {@code high} a
     * connection reports itself not writable, below {@code low} writable again (and the
     * handler's {@code writable} is called); above {@code cap} it is closed with 1008.
     * Defaults: 64 KiB, 256 KiB, 16 MiB.
     */
    public B sendQueue(long low, long high, long cap) {
        this.sendLowWater = low;
        this.sendHighWater = high;
        this.sendQueueCap = cap;
        return self();
    }

    /** The decoder's limits: a frame no larger than a message unless set, and at least 125 bytes for control frames. */
    DecoderLimits decoderLimits() {
        int frameLimit = maxFrameSize < 0 ? Math.max(125, maxMessageSize) : maxFrameSize;
        return new DecoderLimits(frameLimit, maxMessageSize, maxFragments);
    }
}

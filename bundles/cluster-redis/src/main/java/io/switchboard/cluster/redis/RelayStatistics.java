package io.switchboard.cluster.redis;

/**
 * What a {@link RedisBroadcaster} has done since it started, read at one moment.
 *
 * @param relayed messages of this node that Redis accepted for the other nodes
 * @param received messages from other nodes delivered to this node's topic members
 * @param dropped messages of this node that were delivered here but not relayed: Redis was
 *     unreachable, its queue was at the cap, or the connection failed while they were in flight
 *     (some of the last kind may still have reached Redis)
 * @param rejected messages read from Redis that were not a relay envelope, or not valid UTF-8 text
 * @param queuedBytes bytes waiting for Redis now
 * @param peakQueuedBytes the most bytes that ever waited for Redis at once; never above the cap
 * @param publishing whether the publishing connection is up
 * @param subscribed whether the subscribing connection is up and subscribed
 * @param lastError the last failure talking to Redis, or null if there was none
 */
public record RelayStatistics(long relayed, long received, long dropped, long rejected, long queuedBytes,
        long peakQueuedBytes, boolean publishing, boolean subscribed, String lastError) {
}

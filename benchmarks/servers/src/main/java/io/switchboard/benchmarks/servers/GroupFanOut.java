package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;

import io.switchboard.api.Connection;
import io.switchboard.api.Group;
import io.switchboard.endpoint.Broadcasts;

/**
 * Fan-out through the broadcast API: the subscribers are a {@link Group}, which frames each
 * message once and queues the same bytes for every member. Thread-safe, as the group is; a
 * subscriber that ends leaves the group by itself, so {@link #leave} has nothing left to do
 * most of the time.
 */
final class GroupFanOut implements FanOut {
    private final Group subscribers = new Broadcasts().group();

    @Override
    public void join(Connection subscriber) {
        subscribers.join(subscriber);
    }

    @Override
    public void leave(Connection subscriber) {
        subscribers.leave(subscriber);
    }

    @Override
    public void publish(ByteBuffer message) {
        subscribers.send(message);
    }
}

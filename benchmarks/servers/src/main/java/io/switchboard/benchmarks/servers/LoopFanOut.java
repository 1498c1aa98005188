package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.switchboard.api.Connection;

/**
 * Fan-out as a handler writes it with nothing but {@link Connection#send}: a loop over the
 * subscribers, which frames (and copies) the message once per subscriber. Thread-safe: the set is
 * concurrent, and {@code send} may be called from any thread; Netty's {@code ChannelGroup} keeps its
 * channels in the same kind of map.
 */
final class LoopFanOut implements FanOut {
    private final Set<Connection> subscribers = ConcurrentHashMap.newKeySet();

    @Override
    public void join(Connection subscriber) {
        subscribers.add(subscriber);
    }

    @Override
    public void leave(Connection subscriber) {
        subscribers.remove(subscriber);
    }

    @Override
    public void publish(ByteBuffer message) {
        for (Connection subscriber : subscribers) {
            // The stage is not needed: a subscriber that ends just drops out of the set.
            subscriber.send(message);
        }
    }
}

package io.switchboard.cluster.redis.internal;

import java.nio.ByteBuffer;

import io.switchboard.api.Connection;
import io.switchboard.api.Group;

/**
 * A topic whose messages go to its members on this node, encoded once as every group's, and to
 * the relay for the other nodes. Membership is the local topic's. Thread-safe, as both parts are.
 */
public final class RelayedTopic implements Group {
    private final String name;
    private final Group local;
    private final Relay relay;

    public RelayedTopic(String name, Group local, Relay relay) {
        this.name = name;
        this.local = local;
        this.relay = relay;
    }

    @Override
    public boolean join(Connection connection) {
        return local.join(connection);
    }

    @Override
    public boolean leave(Connection connection) {
        return local.leave(connection);
    }

    /**
     * The relay is offered the message first (it only queues, or drops): once a member here has
     * it, the relay has decided. An unpaired surrogate is refused before either.
     */
    @Override
    public int send(String text) {
        relay.text(name, text);
        return local.send(text);
    }

    @Override
    public int send(ByteBuffer data) {
        relay.binary(name, data);
        return local.send(data);
    }

    @Override
    public int size() {
        return local.size();
    }
}

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

    /** Local members first: an unpaired surrogate is refused there, before anything is relayed. */
    @Override
    public int send(String text) {
        int queued = local.send(text);
        relay.text(name, text);
        return queued;
    }

    @Override
    public int send(ByteBuffer data) {
        int queued = local.send(data);
        relay.binary(name, data);
        return queued;
    }

    @Override
    public int size() {
        return local.size();
    }
}

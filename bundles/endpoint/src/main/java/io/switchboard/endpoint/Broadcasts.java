package io.switchboard.endpoint;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.Connection;
import io.switchboard.api.Group;
import io.switchboard.endpoint.internal.ConnectionGroup;
import io.switchboard.endpoint.internal.SharedMessage;

/**
 * The {@link Broadcaster} for connections of any {@link WebSocketServer} in this JVM: a group may
 * hold connections of several servers. In OSGi, the whiteboard registers one as a service.
 * Thread-safe.
 *
 * <p>A message is framed once and compressed once for the connections whose permessage-deflate
 * has no server context takeover; the same bytes are queued for every connection without a copy
 * per connection. A TLS connection encrypts them on its own, as it must.
 */
public class Broadcasts implements Broadcaster {
    private final ConcurrentMap<String, Group> topics = new ConcurrentHashMap<>();

    @Override
    public Group group() {
        return new ConnectionGroup();
    }

    @Override
    public Group topic(String name) {
        return topics.computeIfAbsent(Objects.requireNonNull(name, "name"), any -> new ConnectionGroup());
    }

    @Override
    public int send(Collection<? extends Connection> connections, String text) {
        return ConnectionGroup.sendTo(connections, SharedMessage.text(text));
    }

    @Override
    public int send(Collection<? extends Connection> connections, ByteBuffer data) {
        return ConnectionGroup.sendTo(connections, SharedMessage.binary(data));
    }
}

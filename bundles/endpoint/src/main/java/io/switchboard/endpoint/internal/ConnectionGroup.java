package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.switchboard.api.Connection;
import io.switchboard.api.Group;

/**
 * A {@link Group}: a concurrent set of connections and a send that encodes once
 * ({@link SharedMessage}) and queues the shared bytes for each member.
 *
 * <p><b>Any thread.</b> The member set is lock-free: a send iterates it while members join and
 * leave, and visits every member present throughout exactly once (the set's iterator is weakly
 * consistent). Joining and leaving take the connection's monitor, never the group's, so that
 * they are atomic with the connection's end ({@link ConnectionSends#leaveGroups}): a connection
 * that has ended is in no group.
 */
public final class ConnectionGroup implements Group {
    final Set<ConnectionSends> members = ConcurrentHashMap.newKeySet();

    @Override
    public boolean join(Connection connection) {
        return member(connection).joinGroup(this);
    }

    @Override
    public boolean leave(Connection connection) {
        return member(connection).leaveGroup(this);
    }

    @Override
    public int send(String text) {
        return sendTo(members, SharedMessage.text(text));
    }

    @Override
    public int send(ByteBuffer data) {
        return sendTo(members, SharedMessage.binary(data));
    }

    @Override
    public int size() {
        return members.size();
    }

    /** Queues the message for each connection; returns for how many it was queued. */
    public static int sendTo(Iterable<? extends Connection> connections, SharedMessage message) {
        int queued = 0;
        for (Connection connection : connections) {
            if (member(connection).sendShared(message)) {
                queued++;
            }
        }
        return queued;
    }

    private static ConnectionSends member(Connection connection) {
        if (connection instanceof ConnectionSends member) {
            return member;
        }
        throw new IllegalArgumentException("not a connection of this server: " + connection);
    }
}

package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.api.Connection;
import io.switchboard.api.Group;

/**
 * A {@link Group}: a concurrent map of connections and a send that encodes once
 * ({@link SharedMessage}) and queues the shared bytes for each member.
 *
 * <p><b>Any thread.</b> The member map is lock-free: a send goes through it while members join
 * and leave, and visits every member present throughout exactly once (the map's traversal is
 * weakly consistent). A connection that leaves and joins again during a send is a new entry
 * the traversal might also reach; each entry therefore carries the number of sends begun when it
 * joined, and a send skips a member whose entry is younger than the send, so no send reaches a
 * connection twice. Joining and leaving take the connection's monitor, never the group's, so
 * that they are atomic with the connection's end ({@link #leaveAll}): a connection that has
 * ended is in no group.
 */
public final class ConnectionGroup implements Group {
    /** Each member, with the number of sends begun before it joined. */
    private final ConcurrentHashMap<ConnectionSends, Long> members = new ConcurrentHashMap<>();
    private final AtomicLong sendsBegun = new AtomicLong();

    @Override
    public boolean join(Connection connection) {
        ConnectionSends member = member(connection);
        synchronized (member) {
            if (member.state == ConnectionSends.State.CLOSED || members.putIfAbsent(member, sendsBegun.get()) != null) {
                return false;
            }
            if (member.groups == null) {
                member.groups = new HashSet<>(4);
            }
            member.groups.add(this);
            return true;
        }
    }

    @Override
    public boolean leave(Connection connection) {
        ConnectionSends member = member(connection);
        synchronized (member) {
            if (members.remove(member) == null) {
                return false;
            }
            if (member.groups != null) { // (null once the connection has ended and is leaving them all)
                member.groups.remove(this);
            }
            return true;
        }
    }

    /** Takes a connection whose state is CLOSED out of every group it joined; no join succeeds after. */
    static void leaveAll(ConnectionSends member) {
        Set<ConnectionGroup> left;
        synchronized (member) {
            left = member.groups;
            member.groups = null;
        }
        if (left != null) {
            for (ConnectionGroup group : left) {
                group.members.remove(member);
            }
        }
    }

    @Override
    public int send(String text) {
        return sendToMembers(SharedMessage.text(text));
    }

    @Override
    public int send(ByteBuffer data) {
        return sendToMembers(SharedMessage.binary(data));
    }

    @Override
    public int size() {
        return members.size();
    }

    private int sendToMembers(SharedMessage message) {
        long number = sendsBegun.incrementAndGet();
        int queued = 0;
        for (Map.Entry<ConnectionSends, Long> member : members.entrySet()) {
            if (member.getValue() < number && member.getKey().sendShared(message)) {
                queued++;
            }
        }
        return queued;
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

package io.switchboard.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A set of connections that receive the same messages: a chat room, the subscribers of a feed.
 * Made by a {@link Broadcaster}.
 *
 * <p>A message sent to the group is encoded once and the same bytes are queued for every member,
 * each in its own send queue: a member that reads slowly is handled by its queue's water marks
 * and cap (1008 past the cap), as for {@link Connection#send}, and never delays the others.
 *
 * <p><b>Membership.</b> A connection leaves by {@link #leave} or, by itself, when it ends: a
 * handler needs no bookkeeping in {@code disconnect}.
 *
 * <p><b>Threading.</b> Every method is thread-safe and none blocks; joining and leaving do not
 * wait for a send in progress, nor a send for them. A member present during the whole of a
 * {@code send} receives the message exactly once; one that joins or leaves during it may or may
 * not. Messages sent by one thread reach each member in the order sent; messages sent by several
 * threads at once may reach different members in different orders, so a group that needs one
 * order for all serialises its senders.
 */
@ProviderType
public interface Group {

    /**
     * Adds a connection; a connection can be in any number of groups.
     *
     * @return true if it joined, false if it was a member already or has ended
     * @throws IllegalArgumentException if the connection is not one of this server's
     */
    boolean join(Connection connection);

    /** Removes a connection; returns true if it was a member. */
    boolean leave(Connection connection);

    /**
     * Sends a text message to every member.
     *
     * @return the number of members the message was queued for: those not closing
     * @throws IllegalArgumentException if the text contains an unpaired surrogate
     */
    int send(String text);

    /**
     * Sends a binary message, the buffer's remaining bytes, to every member. The bytes are copied
     * once before this method returns; the buffer's position is left as it was.
     *
     * @return the number of members the message was queued for
     */
    int send(ByteBuffer data);

    /** The number of members now. */
    int size();
}

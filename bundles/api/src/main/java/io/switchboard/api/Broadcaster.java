package io.switchboard.api;

import java.nio.ByteBuffer;
import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends one message to many connections, encoding it once: the frame is built once, compressed
 * once for every connection whose permessage-deflate allows a shared form, and the same bytes are
 * queued for every connection. In OSGi the whiteboard registers one as a service; in plain Java,
 * the endpoint provides one ({@code new io.switchboard.endpoint.Broadcasts()}).
 *
 * <p>Thread-safe; see {@link Group} for membership, ordering and slow readers, which hold for
 * {@link #send(Collection, String)} as well.
 *
 * <pre>{@code
 * Group room = broadcaster.group();
 * public void connect(Connection connection) { room.join(connection); }
 * public void message(Connection connection, String text) { room.send(text); }
 * // no disconnect needed: a connection that ends leaves the group by itself
 * }</pre>
 */
@ProviderType
public interface Broadcaster {

    /** A new, empty group of its own. */
    Group group();

    /**
     * The group of this name: the same group for the same name, for whoever asks this
     * broadcaster, so that a handler can publish to connections another handler keeps. A named
     * group lasts as long as the broadcaster, so names come from a bounded set.
     */
    Group topic(String name);

    /**
     * Sends a text message to each of these connections (one listed twice receives it twice).
     *
     * @return the number of connections the message was queued for: those not closing
     * @throws IllegalArgumentException if a connection is not one of this server's, or the text
     *     contains an unpaired surrogate
     */
    int send(Collection<? extends Connection> connections, String text);

    /** Sends a binary message, as {@link #send(Collection, String)} and {@link Group#send(ByteBuffer)}. */
    int send(Collection<? extends Connection> connections, ByteBuffer data);
}

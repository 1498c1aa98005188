package io.switchboard.endpoint;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A snapshot of one live connection, for tools: the shell, the whiteboard's runtime information.
 *
 * @param id        the connection's {@code Connection.id()}
 * @param path      the request path it was accepted on
 * @param remote    the client's address
 * @param binding   the binding whose handler holds it, or null while it waits for one
 * @param opened    when the handshake completed
 * @param bytesIn   bytes read from the socket so far
 * @param bytesOut  bytes written to the socket so far
 */
public record ConnectionInfo(long id, String path, InetSocketAddress remote, HandlerBinding binding,
                             Instant opened, long bytesIn, long bytesOut) {
}

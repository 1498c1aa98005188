/**
 * The types a Switchboard connection handler is written against.
 *
 * <p>A {@link io.switchboard.api.ConnectionHandler} receives the lifecycle and the messages of
 * connections; a {@link io.switchboard.api.Handshake} lets it vet the opening
 * {@link io.switchboard.api.Request} and shape the answer; a
 * {@link io.switchboard.api.Connection} lets it send, ping, close and hand the connection on;
 * a {@link io.switchboard.api.CloseStatus} tells how a connection ended. The threading and
 * lifecycle rules a handler relies on are stated on {@code ConnectionHandler}.
 *
 * <p>A complete echo handler:
 * <pre>{@code
 * public final class Echo implements ConnectionHandler {
 *     public void message(Connection connection, String text) {
 *         connection.send(text);
 *     }
 *
 *     public void message(Connection connection, ByteBuffer data) {
 *         connection.send(ByteBuffer.allocate(data.remaining()).put(data).flip());
 *     }
 * }
 * }</pre>
 * The binary message is copied because its buffer is valid only during the call.
 *
 * <p>WebSocket++ users will recognise the design: {@code connection_handler} is
 * {@code ConnectionHandler}, {@code connection_ptr} is {@code Connection}, and each method
 * names its WebSocket++ counterpart. The package depends on nothing beyond the JDK; the OSGi
 * annotations are not retained at run time.
 */
@Export
@Version("0.4.0")
package io.switchboard.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

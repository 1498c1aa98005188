package io.switchboard.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the lifecycle and the messages of WebSocket connections (WebSocket++
 * {@code connection_handler}). Every method does nothing by default, so a handler overrides
 * only what it needs; an echo server overrides the two {@code message} methods.
 *
 * <p><b>Lifecycle of one connection</b>, as its handler sees it:
 * <pre>
 * validate ─► connect ─► message, pong, writable … ─► disconnect
 *                       ▲
 *             adopt ────┘  (this handler takes over a live connection)
 * </pre>
 * A rejected handshake ends after {@code validate}. If a callback throws, {@link #failure} is
 * called and the server closes the connection with 1011.
 *
 * <p><b>Threading</b> — the invariants a handler may rely on:
 * <ul>
 *   <li>One handler object may serve many connections at once, and its callbacks for different
 *       connections may run concurrently: state shared between connections must be
 *       thread-safe. State of one connection belongs in {@link Connection#attach}.
 *   <li>For one connection, callbacks never run concurrently, and messages arrive in the order
 *       their frames arrived. Each callback happens-before the next for that connection, even
 *       when they run on different threads, so per-connection state needs no locking.
 *   <li>{@code validate} precedes {@code connect}; {@code connect} or {@code adopt} precedes
 *       every message; {@code disconnect} is the last callback.
 *   <li>Callbacks run on a selector thread, which serves many connections, and must not block
 *       it: no JDBC, no remote calls, no waiting on a send's stage. A handler that must block
 *       is registered as blocking (a service property or builder option); its callbacks then
 *       run on a worker pool, each connection's order kept.
 *   <li>Only {@link Connection} is for use outside callbacks: it is thread-safe.
 * </ul>
 *
 * <p><b>Hot swap.</b> A connection stays with the handler that accepted it until that handler
 * goes away or hands it on with {@link Connection#setHandler}. Then the next handler's
 * {@link #adopt} is called between two messages; each message goes to exactly one handler.
 */
@ConsumerType
public interface ConnectionHandler {

    /**
     * Decides whether to accept a handshake, before the server answers it (WebSocket++
     * {@code validate}): check the origin, cookies or other headers, then reject, add response
     * headers or select a subprotocol through {@code handshake}. Returning without rejecting
     * accepts. An exception thrown from here answers 500 and is not passed to {@link #failure},
     * as there is no connection yet.
     */
    default void validate(Handshake handshake) {
    }

    /**
     * The connection is established and may be written to (WebSocket++ {@code on_open},
     * formerly {@code connect}).
     */
    default void connect(Connection connection) {
    }

    /**
     * This handler takes over a live connection from another handler, after
     * {@link Connection#setHandler} or a hot swap (WebSocket++ {@code on_load}); it is called
     * instead of {@code connect}. The connection may already carry an attachment from the
     * previous handler. By default this calls {@link #connect}.
     */
    default void adopt(Connection connection) {
        connect(connection);
    }

    /**
     * A complete text message arrived (WebSocket++ {@code on_message}): fragments joined,
     * UTF-8 validated, permessage-deflate inflated.
     */
    default void message(Connection connection, String text) {
    }

    /**
     * A complete binary message arrived (WebSocket++ {@code on_message}): fragments joined,
     * permessage-deflate inflated. The buffer is valid only during this call, because the
     * server reuses it: copy what you keep. It may be sent back as it is, since
     * {@link Connection#send(ByteBuffer)} copies. It is usually direct: read it through its
     * methods, not through {@code array()}.
     */
    default void message(Connection connection, ByteBuffer data) {
    }

    /**
     * A part of a text message arrived, for a connection that receives text in parts
     * ({@link Connection#receiveInParts}): the UTF-8 validated so far, ending on a whole code
     * point (a code point split between frames comes whole in the next part). Parts come in
     * order, {@code last} true on the message's final one, which may be empty. A message whose
     * text turns out invalid further on ends the connection with 1007 after the parts before.
     * A hot swap or {@code setHandler} takes effect between two callbacks, which may be two parts:
     * the adopting handler then receives the rest of a message it did not see begin.
     */
    default void part(Connection connection, String text, boolean last) {
    }

    /**
     * A part of a binary message arrived, for a connection that receives binary messages in parts
     * ({@link Connection#receiveInParts}): its bytes in order, inflated if compressed, {@code last}
     * true on the message's final part, which may be empty. The buffer is valid only during this
     * call, as for {@link #message(Connection, ByteBuffer)}: copy or write out what you keep.
     */
    default void part(Connection connection, ByteBuffer data, boolean last) {
    }

    /**
     * A pong arrived (WebSocket++ {@code on_pong}), solicited by {@link Connection#ping} or
     * not. The payload is valid only during this call. Pings need no handling: the server
     * answers them itself.
     */
    default void pong(Connection connection, ByteBuffer payload) {
    }

    /**
     * The send queue fell below its low water mark after having risen above the high one:
     * {@link Connection#isWritable()} is true again, and a handler that paused may resume.
     */
    default void writable(Connection connection) {
    }

    /**
     * The connection has ended (WebSocket++ {@code on_close} and {@code on_fail}, formerly
     * {@code disconnect}). Called exactly once per connection, on the handler that holds it at
     * the end, as its last callback. The status is:
     * <ul>
     *   <li>the one in the peer's Close frame — whoever started closing — or
     *       {@link CloseStatus#NO_STATUS 1005} if that frame carried none;
     *   <li>the one the server sent when it failed the connection for a violation, such as 1002
     *       for a protocol error, 1007 for invalid UTF-8, 1009 for a message over the limit or
     *       1008 for a send queue over its cap;
     *   <li>{@link CloseStatus#ABNORMAL 1006} if the TCP connection ended without a Close frame
     *       from the peer: dropped, aborted, or the peer did not answer in time.
     * </ul>
     */
    default void disconnect(Connection connection, CloseStatus status) {
    }

    /**
     * Another callback of this handler threw {@code cause}. After this call the server closes
     * the connection with 1011 (internal error). The default does nothing; the server logs
     * the exception. An exception thrown from here, or from {@code disconnect}, is only logged.
     */
    default void failure(Connection connection, Throwable cause) {
    }
}

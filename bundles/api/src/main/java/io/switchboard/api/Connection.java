package io.switchboard.api;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live WebSocket connection (WebSocket++ {@code connection_ptr}).
 *
 * <p><b>Lifecycle.</b> A handler first sees a connection in {@link ConnectionHandler#connect}
 * or {@link ConnectionHandler#adopt}, once the handshake is complete, so nothing can be sent
 * before the connection is open. It is open until either end starts the closing handshake or
 * the TCP connection ends; from then on {@link #isOpen()} is false and sends complete
 * exceptionally. {@link ConnectionHandler#disconnect} reports the end. The accessors keep
 * working afterwards.
 *
 * <p><b>Threading.</b> Every method is thread-safe and none blocks: handlers call them from
 * their callbacks, other threads from anywhere. Messages go out in the order of the
 * {@code send} calls. The returned stages may complete on a selector thread, so actions
 * chained to them must not block either.
 *
 * <p><b>Backpressure.</b> Sends are queued, never refused for lack of room. A handler that
 * produces faster than the peer reads watches {@link #isWritable()} and waits for
 * {@link ConnectionHandler#writable}: the queue has a high and a low water mark, and a hard cap.
 * Past the hard cap the server closes the connection with 1008 (policy violation), so that a
 * slow reader cannot grow the heap without bound. The marks and the cap are endpoint settings.
 */
@ProviderType
public interface Connection {

    /** The id of this connection, unique among the connections of one server run. */
    long id();

    /** The opening request (WebSocket++ {@code get_request()}). */
    Request request();

    /** The subprotocol selected during the handshake, {@code ""} if none. */
    String subprotocol();

    /**
     * The extensions in use, by name, such as {@code permessage-deflate}; empty if none.
     * The server applies them itself: handlers always see and send plain messages.
     */
    List<String> extensions();

    /** Tells whether messages can still be sent: false once closing has started or the connection is gone. */
    boolean isOpen();

    /**
     * Sends a text message.
     *
     * @return a stage that completes when the message has been written to the socket, or
     *     exceptionally, with an {@link java.io.IOException} such as
     *     {@link java.nio.channels.ClosedChannelException}, if the connection closes first.
     *     Messages sent from one callback may share one stage, which completes once they are all
     *     written: the server writes them together and saves a stage per message
     * @throws IllegalArgumentException if the text contains an unpaired surrogate, which
     *     UTF-8 cannot encode
     * @throws IllegalStateException if a message is being sent in parts ({@link #sendPart}) and
     *     its last part has not been sent: a message cannot go out between its frames
     */
    CompletionStage<Void> send(String text);

    /**
     * Sends a binary message: the buffer's remaining bytes. They are copied before this method
     * returns, and the buffer's position is left as it was, so the caller may reuse the buffer at
     * once — a handler may send back the very buffer its {@code message} callback was given.
     *
     * @return a stage that completes as for {@link #send(String)}
     * @throws IllegalStateException as {@link #send(String)}
     */
    CompletionStage<Void> send(ByteBuffer data);

    /**
     * Sends a part of a text message, for a message too large to hold: the first part starts it,
     * each next one continues it, and the part with {@code last} true ends it. Each part goes out
     * as one frame as soon as it can (a first frame, continuation frames, FIN on the last),
     * uncompressed even where permessage-deflate is in use; pings, pongs and a Close frame may come
     * between. Thread-safe like {@code send}: the parts go out in the order of the calls, and the
     * send queue's water marks and cap count them like messages. A message broadcast to this
     * connection meanwhile waits for the last part.
     *
     * @return a stage that completes when this part has been written, as for {@link #send(String)}
     * @throws IllegalStateException if a binary message is being sent in parts
     * @throws IllegalArgumentException if the text contains an unpaired surrogate (a pair must not
     *     be split between two parts)
     * @since 0.4
     */
    CompletionStage<Void> sendPart(String text, boolean last);

    /**
     * Sends a part of a binary message, as {@link #sendPart(String, boolean)} does; the bytes are
     * copied as by {@link #send(ByteBuffer)}.
     *
     * @throws IllegalStateException if a text message is being sent in parts
     * @since 0.4
     */
    CompletionStage<Void> sendPart(ByteBuffer data, boolean last);

    /**
     * The number of bytes queued by {@code send}, {@code ping} and {@code close} and not yet
     * written to the socket, like the browser's {@code WebSocket.bufferedAmount}.
     */
    long bufferedAmount();

    /**
     * Tells whether the send queue is within bounds. It turns false once {@link #bufferedAmount()}
     * rises above the high water mark, and true again once it falls below the low water mark,
     * when the handler's {@link ConnectionHandler#writable} is called. Two marks, not one, so
     * that a queue hovering at the limit does not flip the signal on every write.
     */
    boolean isWritable();

    /**
     * Sends a ping with this payload (the buffer's remaining bytes, copied as by
     * {@link #send(ByteBuffer)}). A ping may be written ahead of messages still queued. The
     * peer's pong arrives at {@link ConnectionHandler#pong}.
     *
     * @return a stage that completes as for {@link #send(String)}
     * @throws IllegalArgumentException if the payload is longer than 125 bytes, the limit for
     *     control frames
     */
    CompletionStage<Void> ping(ByteBuffer payload);

    /** Sends a ping with an empty payload. */
    default CompletionStage<Void> ping() {
        return ping(ByteBuffer.allocate(0));
    }

    /**
     * Sends an unsolicited pong with this payload, copied as by {@link #ping(ByteBuffer)}: a
     * heartbeat that the peer does not answer (RFC 6455 §5.5.3). Pings from the peer need no call:
     * the endpoint answers them itself.
     *
     * @return a stage that completes as for {@link #send(String)}
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    CompletionStage<Void> pong(ByteBuffer payload);

    /** Closes the connection normally: {@code close(CloseStatus.NORMAL, "")}. */
    default void close() {
        close(CloseStatus.NORMAL, "");
    }

    /**
     * Starts the closing handshake (WebSocket++ {@code close}): messages already sent go out
     * first, then a Close frame with this code and reason. The TCP connection ends when the
     * peer answers, or after the endpoint's close timeout. Only the first call of
     * {@code close} has an effect, and none once the peer has started closing.
     *
     * @param code a code for which {@link CloseStatus#isSendable(int)} is true
     * @param reason the reason, {@code ""} for none; at most
     *     {@value CloseStatus#MAX_REASON_BYTES} bytes in UTF-8
     * @throws IllegalArgumentException if the code may not be sent or the reason is invalid,
     *     by the rules of {@link CloseStatus#of(int, String)}
     */
    void close(int code, String reason);

    /**
     * Drops the TCP connection at once, without a closing handshake; messages still queued are
     * lost and their stages complete exceptionally. {@link ConnectionHandler#disconnect}
     * reports 1006. Has no effect on a connection that is already gone.
     */
    void abort();

    /**
     * Chooses, per kind, whether data messages arrive whole, at
     * {@link ConnectionHandler#message(Connection, String) message}, or in parts as their bytes
     * arrive, at {@link ConnectionHandler#part(Connection, String, boolean) part} — for messages
     * too large to hold, such as an upload streamed to a file. Whole is the default. Any thread;
     * it applies from the next message whose first frame the server reads after this call (called
     * in a callback of this connection: from the next message), and a message under way goes on as
     * it began. The choice belongs to the connection, like the pause: it stays through
     * {@link #setHandler} and hot swap, which may come between two parts of a message.
     *
     * <p>A message received in parts is not held, so the endpoint's message size limit and its
     * limit on fragments do not apply to it; its frame size limit still does. A part is what one
     * read brings of one frame, so at most a frame and at most the server's read size (64 KiB);
     * of a compressed message, at most 32 KiB of inflated output. Parts come in order, the
     * callbacks' rules unchanged: ping, pong and Close frames between the fragments are handled as
     * they come, and {@link #pauseReading()} stops the parts as it stops messages.
     *
     * @param text   true to receive text messages in parts
     * @param binary true to receive binary messages in parts
     * @since 0.4
     */
    void receiveInParts(boolean text, boolean binary);

    /**
     * Stops reading from this connection (WebSocket++ {@code pause_reading}), so that a handler
     * that cannot keep up slows the peer down instead of buffering: the server reads nothing more
     * from the socket until {@link #resumeReading()}, and TCP's flow control makes the peer wait.
     * Idempotent; pauses do not nest (one resume ends any number of pauses).
     *
     * <ul>
     *   <li>Called inside a callback of this connection, no further message callback
     *       ({@code message}, {@code pong}) for it starts until {@code resumeReading}. Called from
     *       another thread, at most one more may start: the one whose delivery had already begun.
     *       Other callbacks ({@code writable}, {@code adopt}, {@code disconnect}) still come.
     *   <li>Frames are handled in the order they arrived, so while reading is paused nothing
     *       behind the last message delivered is looked at: a ping or a Close frame the peer sends
     *       after the pause waits with the messages before it, and is answered after the resume.
     *       A ping decoded before the pause is answered.
     *   <li>Closing ends the pause: once either side has started the closing handshake the server
     *       reads again, to find the peer's Close frame (messages arriving then are dropped, as on
     *       any closing connection), and the close timeout applies as always.
     *   <li>The idle timeout and the ping keepalive count from the last bytes read, so a pause
     *       longer than either ends the connection with 1001, as silence would.
     *   <li>The pause belongs to the connection, not to the handler: it stays through
     *       {@link #setHandler} and hot swap, and the adopting handler resumes it. The server's
     *       own reasons to stop reading (a blocking handler still busy, a connection waiting for
     *       a replacement handler) are separate: reading starts again only when none is left.
     * </ul>
     */
    void pauseReading();

    /**
     * Ends a {@link #pauseReading()} (WebSocket++ {@code resume_reading}): messages already read
     * are delivered, in order, and the server reads from the socket again, unless it has a reason
     * of its own not to yet. Idempotent; has no effect on a connection that is not paused or has
     * ended. Any thread; called inside a callback, the next message comes after that callback.
     */
    void resumeReading();

    /**
     * Hands this connection to another handler (WebSocket++ {@code set_handler}). The switch
     * takes effect between two callbacks: a callback of the current handler in progress
     * finishes, then {@code handler.adopt(this)} is called, then {@code handler} receives the
     * following messages. The current handler is not called again for this connection, not even
     * with {@code disconnect}. Has no effect on a connection that has already ended.
     */
    void setHandler(ConnectionHandler handler);

    /**
     * The object last attached to this connection, or null; cast to whatever the caller
     * assigns it to, unchecked.
     */
    <T> T attachment();

    /**
     * Attaches an object to this connection, replacing any previous one; null removes it. This
     * is where a handler that serves many connections keeps per-connection state. The attachment
     * belongs to the connection, not to the handler: it survives {@link #setHandler} and hot
     * swap, so an adopting handler checks or replaces it — after a bundle update, an object the
     * old bundle attached is an instance of the old bundle's class.
     */
    void attach(Object attachment);
}

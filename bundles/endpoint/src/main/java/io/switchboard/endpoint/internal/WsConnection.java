package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Request;
import io.switchboard.codec.CloseFrames;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.codec.ProtocolViolation;
import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.handshake.HttpResponses;

/**
 * One socket, accepted or (the client role, {@link #CLIENT}) opened, from its first byte to its
 * close: the opening handshake ({@link Opening}), then frames both ways, then the closing handshake. <b>Loop thread only</b>: what other threads may call is in
 * {@link ConnectionSends}; writing out is {@link ConnectionFlusher}'s, handlers and hot swap
 * {@link ConnectionBinding}'s; this class reads, decodes, times and closes.
 *
 * <p>Input is driven by demand: bytes are decoded only while the connection's handler can take a
 * message. When it cannot — a blocking handler is still busy with the previous message, the
 * connection has no handler, or the handler paused reading — the undecoded rest of the read is
 * held back and the loop stops reading the socket, so the peer's further bytes wait in the kernel,
 * not in the heap. A read is never made inside a callback: what a callback enables is scheduled.
 */
final class WsConnection extends ConnectionBinding {
    /** How long a peer is quiet before the decoder gives back a buffer grown for large messages. */
    private static final long QUIET_BEFORE_TRIM = TimeUnit.SECONDS.toNanos(1);

    /** The opening handshake while it lasts; null once the connection is open or refused. */
    private Opening handshake;
    /** When the handshake completed, in seconds since the endpoint started: an int, not a long, in every connection. */
    private int openedAt;
    private long bytesIn;
    /** Made with the first frame, so a connection that never sends one keeps none (with the handshake under permessage-deflate). */
    private MessageDecoder decoder;
    /** Input read but not yet decoded, held while the handler cannot take it. */
    private ByteBuffer heldBack;
    /** Why the connection ends: the peer's Close frame, or the failure that made the server close. */
    private CloseStatus closeStatus;
    private long lastInput;
    /** Its place among the loop's connections; -1 when not there (see LoopConnections). Loop thread only. */
    int slot = -1;

    WsConnection(SelectorLoop loop, SocketChannel channel) throws IOException {
        super(loop, loop.endpoint.settings(), TlsSettings.serverTransport(loop, channel));
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        this.handshake = new HandshakePhase(this, settings);
        this.deadline = loop.now() + settings.handshakeTimeout().toNanos();
        set(WITHIN_LIMITS, loop.endpoint.countConnection(remote.getAddress()));
        this.lastInput = loop.now();
    }

    /** An outbound connection, connecting: {@code opening} sets its deadline, sends the request and reads the answer. */
    WsConnection(SelectorLoop loop, Settings settings, Transport transport, ClientOpening opening) {
        super(loop, settings, transport);
        set(CLIENT, true);
        this.handshake = opening;
        this.lastInput = loop.now();
    }

    /** The peer's address: the request keeps it once there is one, the socket before that. */
    InetSocketAddress remote() {
        if (request != null) {
            return request.remoteAddress();
        }
        try {
            return (InetSocketAddress) channel().getRemoteAddress();
        } catch (IOException e) {
            return null; // closed before its request was read
        }
    }

    // ---------------------------------------------------------------- input

    void onReadable() {
        loop.connections().beforeInput(this); // a move under way reaches this connection first
        do {
            if (!readOnce()) {
                return;
            }
            // TLS may hold decrypted bytes, or whole records, that the socket will not signal again.
        } while (transport.hasBufferedInput() && state != State.CLOSED && readingEnabled());
        if (state != State.CLOSED && (transport.hasPendingOutput() || buffered != 0)) {
            requestFlush(); // the TLS handshake wrote, or finished and lets queued frames go
        }
    }

    /** One read and its decoding; false if the connection ended or nothing came. */
    private boolean readOnce() {
        ByteBuffer in = loop.readBuffer();
        in.clear();
        int read;
        try {
            read = transport.read(channel(), in);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection " + id + ": read failed: " + e.getMessage());
            if (handshake != null) {
                handshake.ended(e); // a client tells why (a TLS certificate refused, say)
            }
            closeChannel();
            return false;
        }
        if (read < 0) {
            onEndOfInput();
            return false;
        }
        lastInput = loop.now();
        bytesIn += read;
        set(PING_OUTSTANDING, false);
        in.flip();
        consume(in);
        return read > 0;
    }

    private boolean readingEnabled() {
        return key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0;
    }

    private void consume(ByteBuffer in) {
        if (is(DISCARD_INPUT)) {
            in.position(in.limit());
            return;
        }
        State now = state; // (ifs, not an enum switch: that costs the jar a class of its own)
        if (now == State.HANDSHAKE) {
            handshake.read(in);
        } else if (now == State.OPEN || now == State.CLOSING) {
            readFrames(in);
        } else {
            holdBack(in);
        }
    }

    void onConnectable() {
        handshake.connected();
    }

    private void onEndOfInput() {
        if (state == State.OPEN && closeStatus == null) {
            LOG.log(Level.DEBUG, () -> "connection " + id + ": peer left without a close frame");
        }
        closeChannel();
    }

    /** Keeps the undecoded rest of {@code in} and stops reading the socket until there is demand. */
    void holdBack(ByteBuffer in) {
        if (in.hasRemaining()) {
            ByteBuffer kept = ByteBuffer.allocate((heldBack == null ? 0 : heldBack.remaining()) + in.remaining());
            if (heldBack != null) {
                kept.put(heldBack);
            }
            heldBack = kept.put(in).flip();
        }
        setReading(false);
    }

    /**
     * There may be demand again: decode what was held back, then let the loop read the socket
     * again. Never reads, and never decodes inside a callback: a read a callback makes possible is
     * scheduled, since the loop's read buffer may still hold the caller's undecoded frames.
     */
    @Override
    void resumeInput() {
        if (handoff != null && applyHandoff()) {
            return; // it resumed input, with the new handler in place
        }
        if (state == State.CLOSED || !canTakeInput()) {
            return;
        }
        if (loop.calling != null) {
            loop.execute(this::resumeInput);
            return;
        }
        if (heldBack != null || decoder != null && decoder.hasPendingPart()) { // (inflated output for a part waits too)
            ByteBuffer held = heldBack != null ? heldBack : ByteBuffer.allocate(0);
            heldBack = null;
            consume(held);
            if (heldBack != null) {
                return; // held back again: what holds it back resumes input when it ends, not a read now
            }
        }
        if (state != State.CLOSED && canTakeInput()) {
            setReading(true);
            if (transport.hasBufferedInput()) {
                loop.execute(this::readBuffered); // no readiness event will come for bytes TLS already holds
            }
        }
    }

    /** Reads what TLS holds already decrypted or buffered, as a readiness event would. */
    private void readBuffered() {
        if (state != State.CLOSED && readingEnabled()) {
            onReadable();
        }
    }

    /** (Never while TLS computes a handshake step: it resumes input itself once its tasks are done.) */
    private boolean canTakeInput() {
        State now = state;
        if (now == State.OPEN) {
            return !is(REBINDING) && handler != null && callbacks.idle() && !readingPaused && !transport.computing();
        }
        // Closing, only the peer's Close frame still matters: messages are dropped.
        return (now == State.HANDSHAKE || now == State.CLOSING) && !transport.computing();
    }

    @Override
    void setReading(boolean reading) {
        if (key.isValid()) {
            int ops = key.interestOps();
            key.interestOps(reading ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
        }
    }

    // ---------------------------------------------------------------- handshake

    /** Whether this socket stayed within the endpoint's connection limits. */
    boolean withinLimits() {
        return is(WITHIN_LIMITS);
    }

    /** The request head is read and routed: the connection answers for it from now on. */
    void requestRead(Request view) {
        request = view;
    }

    /** A blocking handler's validate runs on a worker; the handshake deadline starts again for it. */
    void startedValidating() {
        state = State.VALIDATING;
        deadline = loop.now() + settings.handshakeTimeout().toNanos();
    }

    boolean isValidating() {
        return state == State.VALIDATING;
    }

    /** The 101 is on its way: the connection is open, bound to {@code instance}, which hears of it first. */
    void open(String agreedSubprotocol, PerMessageDeflate deflate, HandlerBinding openedWith, ConnectionHandler instance) {
        this.handshake = null;
        subprotocol = agreedSubprotocol;
        if (deflate != null) {
            // A client compresses with zlib's full window: it never offers client_max_window_bits.
            boolean resets = client() ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover();
            deflater = resets ? new MessageDeflater(loop.zlib, client() ? Integer.MAX_VALUE : deflate.maxCompressedLength())
                    : new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION); // its own: its history is the point
            decoder = new MessageDecoder(role(), settings.limits(), deflate, loop.zlib); // others get theirs with their first frame
        }
        bindOpened(openedWith, instance);
        openedAt = (int) ((System.currentTimeMillis() - loop.endpoint.startedAt) / 1000);
        state = State.OPEN;
        set(CONNECT_DELIVERED, true);
        callbacks.call(this, handler, Callbacks.CONNECT, null);
        resumeInput();
    }

    /** Sends a final HTTP answer; the socket closes once it is written. */
    @Override
    void answerAndClose(ByteBuffer response) {
        handshake = null;
        heldBack = null;
        set(DISCARD_INPUT, true);
        state = State.CLOSING;
        deadline = loop.now() + settings.closeTimeout().toNanos();
        enqueueRaw(OutboundFrame.Kind.FINAL_RESPONSE, response);
        setReading(true); // to see the client leave, and close at once when it does
    }

    // ---------------------------------------------------------------- frames in

    private void readFrames(ByteBuffer in) {
        while (true) {
            if (is(PEER_CLOSED)) {
                in.position(in.limit()); // nothing after the peer's Close frame counts
                return;
            }
            if (!canTakeInput()) {
                holdBack(in);
                return;
            }
            if (decoder == null) {
                decoder = new MessageDecoder(role(), settings.limits(), null);
                decoder.receiveInParts(is(TEXT_IN_PARTS), is(BINARY_IN_PARTS));
            }
            int opcode;
            try {
                opcode = decoder.decode(in);
            } catch (ProtocolViolation violation) {
                fail(violation.closeCode(), violation.getMessage());
                return;
            }
            if (opcode == MessageDecoder.NEED_MORE) {
                return;
            }
            onMessage(opcode, decoder.payload());
        }
    }

    private void onMessage(int opcode, ByteBuffer payload) {
        switch (opcode) {
            case Opcode.PING -> {
                if (!closeQueued) {
                    account(queue().addPong(frame(Opcode.PONG, copy(payload), null)));
                    requestFlush();
                }
            }
            case Opcode.CLOSE -> onCloseFrame(decoder.closeCode(), payload);
            default -> {
                if (state != State.CLOSING && deliverable()) {
                    deliver(opcode, payload);
                }
            }
        }
    }

    /** Hands the handler a message, a part of one, or a pong. */
    private void deliver(int opcode, ByteBuffer payload) {
        switch (opcode) {
            case Opcode.TEXT -> callbacks.call(this, handler, Callbacks.TEXT, loop.text().decode(payload));
            case Opcode.BINARY -> callbacks.call(this, handler, Callbacks.BINARY, payload);
            case MessageDecoder.TEXT_PART ->
                    callbacks.call(this, handler, decoder.isLastPart() ? Callbacks.LAST_TEXT_PART : Callbacks.TEXT_PART, loop.text().decode(payload));
            case MessageDecoder.BINARY_PART ->
                    callbacks.call(this, handler, decoder.isLastPart() ? Callbacks.LAST_BINARY_PART : Callbacks.BINARY_PART, payload);
            case Opcode.PONG -> callbacks.call(this, handler, Callbacks.PONG, payload);
            default -> throw new IllegalStateException("decoder returned opcode " + opcode);
        }
    }

    @Override
    void partsChosen(boolean text, boolean binary) {
        set(TEXT_IN_PARTS, text);
        set(BINARY_IN_PARTS, binary);
        if (decoder != null) {
            decoder.receiveInParts(text, binary);
        }
    }

    private void onCloseFrame(int code, ByteBuffer reason) {
        String text = StandardCharsets.UTF_8.decode(reason).toString();
        closeStatus = CloseStatus.of(code, text); // the peer's word counts over any failure seen before
        set(PEER_CLOSED, true);
        if (is(CLOSE_WRITTEN) && !client()) { // (a client waits for the server to close TCP: §7.1.1)
            closeChannel();
        } else if (!closeQueued) {
            // Echo the peer's code, as RFC 6455 §5.5.1 suggests; no code gets no code.
            queueClose(code == CloseFrames.NO_STATUS ? ByteBuffer.allocate(0) : CloseFrames.payload(code, ""));
        }
    }

    /** Fails the connection: a Close frame with the code, then the socket ends (RFC 6455 §7.1.7). */
    @Override
    void fail(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (closeStatus == null) {
            closeStatus = CloseStatus.of(code, fitReason(reason));
        }
        set(DISCARD_INPUT, true);
        if (!closeQueued) {
            queueClose(CloseFrames.payload(code, reason));
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    void queueClose(ByteBuffer payload) {
        closeQueued = true;
        state = State.CLOSING;
        // The clock now, not the loop turn's: a callback may have run long (sent a lot) since then.
        deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        addData(new OutboundFrame(OutboundFrame.Kind.CLOSE, MaskKeys.header(client(), false, Opcode.CLOSE, payload), payload, null));
        requestFlush();
        resumeInput(); // reads may have been paused for a busy or missing handler: the peer's Close must get in
    }

    /** The endpoint is stopping: 1001 to open connections, the socket closed for the rest. */
    void goAway() {
        if (state == State.OPEN) {
            queueClose(CloseFrames.payload(CloseStatus.GOING_AWAY, client() ? "going away" : "server stopping"));
        } else if (state != State.CLOSING) {
            closeChannel();
        }
    }

    /** Ends the connection at once and tells its handler, exactly once. */
    @Override
    void closeChannel() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeQueued = true;
        InetSocketAddress peer = remote(); // now: a closed socket no longer tells its address
        key.cancel();
        loop.connections().remove(this);
        try {
            transport.close(channel());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a socket", e);
        }
        discardLoopOutput();
        releaseSending();
        if (decoder != null) {
            decoder.release();
        }
        heldBack = null;
        if (peer != null && !client()) {
            loop.endpoint.uncountConnection(peer.getAddress());
        }
        if (is(CONNECT_DELIVERED) && handler != null) {
            CloseStatus status = closeStatus != null ? closeStatus : CloseStatus.of(CloseStatus.ABNORMAL);
            callbacks.call(this, handler, Callbacks.DISCONNECT, status);
        }
        if (handshake != null) {
            handshake.ended(null);
            handshake = null; // a blocking validate still running releases its instance when it returns
        }
        releaseBinding(null);
    }

    void checkTimers(long now) {
        State current = state;
        if (buffered != 0 && flushState() == FlushState.IDLE && current != State.CLOSED) {
            // Bytes wait and no flush is coming (a long interleaving run once saw a 101 stall): one more try.
            requestFlush();
        }
        boolean due = now - deadline >= 0;
        if (current == State.OPEN && is(DETACHED)) {
            checkDetached(due);
        } else if (current == State.OPEN) {
            checkIdle(now);
        } else if (due && current == State.HANDSHAKE) {
            handshake.expire();
        } else if (due && current == State.VALIDATING) { // a blocking validate that never returns: its instance waits for it
            answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
        } else if (due && current == State.CLOSING) {
            closeChannel();
        }
    }

    private void checkIdle(long now) {
        long quiet = now - lastInput;
        if (decoder != null && quiet >= QUIET_BEFORE_TRIM) {
            decoder.trim(); // large messages have stopped coming: their buffer goes
        }
        long idle = settings.idleTimeout().toNanos();
        if (idle > 0 && quiet >= idle) {
            queueClose(CloseFrames.payload(CloseStatus.GOING_AWAY, "idle timeout"));
            return;
        }
        long pingEvery = settings.pingInterval().toNanos();
        if (pingEvery > 0 && quiet >= pingEvery) {
            if (!is(PING_OUTSTANDING)) {
                set(PING_OUTSTANDING, true);
                deadline = now + pingEvery;
                addControl(frame(Opcode.PING, ByteBuffer.allocate(0), null));
                requestFlush();
            } else if (now - deadline >= 0) {
                fail(CloseStatus.GOING_AWAY, "no pong within " + settings.pingInterval().toMillis() + " ms");
            }
        }
    }

    // ---------------------------------------------------------------- for tools

    /** The path of the request; null before the request head is read, and for a client (no route may move it). */
    @Override
    String path() {
        return request == null || client() ? null : request.path();
    }

    /** A snapshot for tools; null before the handshake completes. Loop thread only. */
    ConnectionInfo info() {
        if (!is(CONNECT_DELIVERED) || state == State.CLOSED) {
            return null;
        }
        return new ConnectionInfo(id, request.path(), remote(), binding, Instant.ofEpochMilli(loop.endpoint.startedAt).plusSeconds(openedAt), bytesIn, bytesOut);
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote();
    }
}

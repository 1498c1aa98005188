package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.Deflater;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Request;
import io.switchboard.codec.CloseFrames;
import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.codec.ProtocolViolation;
import io.switchboard.codec.Role;
import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.handshake.HttpResponses;
import io.switchboard.handshake.WebSocketUpgrade;

/**
 * One accepted socket, from its first byte to its close: the HTTP upgrade, then frames both ways,
 * then the closing handshake. Everything but the {@link Connection} methods runs on the owning
 * {@link SelectorLoop}'s thread.
 *
 * <p>Input is driven by demand: bytes are decoded only while the connection's handler can take a
 * message. When it cannot — a blocking handler is still busy with the previous message, or the
 * connection has no handler — the undecoded rest of the read is held back and the loop stops
 * reading from the socket, so the peer's further bytes wait in the kernel, not in the heap.
 */
final class WsConnection implements Connection, Outbound.Listener {
    private static final System.Logger LOG = System.getLogger(WsConnection.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    /** Field handles rather than atomic objects: every connection has these, most of them idle. */
    private static final VarHandle HANDOFF;
    private static final VarHandle FLUSH_REQUESTED;
    private static final VarHandle OUTBOUND;
    private static final VarHandle BUFFERED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HANDOFF = lookup.findVarHandle(WsConnection.class, "handoff", ConnectionHandler.class);
            FLUSH_REQUESTED = lookup.findVarHandle(WsConnection.class, "flushRequested", boolean.class);
            OUTBOUND = lookup.findVarHandle(WsConnection.class, "outbound", Outbound.class);
            BUFFERED = lookup.findVarHandle(WsConnection.class, "buffered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** permessage-deflate compresses messages from this size on; below, the frame header costs more than it saves. */
    private static final int COMPRESSION_THRESHOLD = 256;
    private static final ByteBuffer NO_HEADER = ByteBuffer.allocate(0);
    /** How long a peer is quiet before the decoder gives back a buffer grown for large messages. */
    private static final long QUIET_BEFORE_TRIM = TimeUnit.SECONDS.toNanos(1);

    private enum State {
        /** Reading the HTTP request head. */
        HANDSHAKE,
        /** A blocking handler's {@code validate} is running on a worker. */
        VALIDATING,
        /** Frames flow both ways. */
        OPEN,
        /** A Close frame is queued or sent; waiting for the peer's, or for the socket to end. */
        CLOSING,
        /** The socket is closed. */
        CLOSED
    }

    private final long id = IDS.incrementAndGet();
    private final SelectorLoop loop;
    private final Settings settings;
    /** What bytes are read from and written to: the socket itself, or TLS over it. */
    private final ByteChannel io;
    private SelectionKey key;
    private volatile State state = State.HANDSHAKE;

    /** The opening handshake while it lasts; null once the connection is open or refused. */
    private HandshakePhase handshake;
    /** Conditions of the connection, one bit each (the constants below). Loop thread only. */
    private short flags;
    /** This socket did not take the endpoint or its address past a connection limit. */
    private static final int WITHIN_LIMITS = 1;
    /** A move to another binding is waiting for the callbacks in progress to finish. */
    private static final int REBINDING = 1 << 1;
    /** The connection lost its handler with no replacement; {@link #deadline} ends the swap grace period. */
    private static final int DETACHED = 1 << 3;
    /** The handler was told of the connection: it is owed a disconnect. */
    private static final int CONNECT_DELIVERED = 1 << 4;
    /** The connection is on the loop's list of connections to flush this turn. */
    private static final int FLUSH_QUEUED = 1 << 5;
    /** A write was short: the loop waits for OP_WRITE. */
    private static final int WAITING_FOR_WRITABLE = 1 << 6;
    private static final int CLOSE_WRITTEN = 1 << 7;
    /** After a violation or a final HTTP answer: read and discard until the peer goes away. */
    private static final int DISCARD_INPUT = 1 << 8;
    /** A keepalive ping is unanswered; {@link #deadline} is when that fails the connection. */
    private static final int PING_OUTSTANDING = 1 << 9;
    /** The peer's Close frame came; {@link #closeStatus} is what it said. */
    private static final int PEER_CLOSED = 1 << 10;

    private Request request;
    /** When the handshake completed, in seconds since the endpoint started: an int, not a long, in every connection. */
    private int openedAt;
    private long bytesIn;
    private String subprotocol = "";
    /** Made with the first frame, so a connection that never sends one keeps none (with the handshake under permessage-deflate). */
    private MessageDecoder decoder;
    private volatile MessageDeflater deflater;
    /** Input read but not yet decoded, held while the handler cannot take it. */
    private ByteBuffer heldBack;

    private volatile ConnectionHandler handler;
    /** Where {@link #acquired} came from; released exactly once, when the connection ends or moves. */
    private HandlerBinding binding;
    private ConnectionHandler acquired;
    /** Where a move started by {@link #moveAway} goes: looked up when the old handler's callbacks have returned. */
    private Function<String, HandlerBinding> moveTarget;
    /** The handler setHandler named, until applied between two callbacks (set from any thread). */
    private volatile ConnectionHandler handoff;
    private Callbacks callbacks;

    /** Made by the first frame that has to wait in a queue: see {@link #queue()}. */
    private volatile Outbound outbound;
    /** Bytes sent and not yet written, queued or in the loop's output buffer. */
    private volatile long buffered;
    /** Bytes written to the socket. Loop thread only. */
    private long bytesOut;
    /** A flush task is on its way to the loop (set from any thread). */
    private volatile boolean flushRequested;
    private volatile boolean writable = true;
    private volatile boolean closeQueued;
    /** The send queue passed its hard cap: every further message is refused. */
    private volatile boolean overCap;
    private volatile Object attachment;

    /** Why the connection ends: the peer's Close frame, or the failure that made the server close. */
    private CloseStatus closeStatus;
    /** When the state times out: the end of the handshake (HANDSHAKE) or of the closing handshake (CLOSING). */
    private long deadline;
    private long lastInput;

    WsConnection(SelectorLoop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.settings = loop.endpoint.settings();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        this.io = settings.tls() == null ? channel : new TlsChannel(channel, settings.tls().newEngine(remote));
        this.handshake = new HandshakePhase(this, settings);
        this.deadline = loop.now() + settings.handshakeTimeout().toNanos();
        set(WITHIN_LIMITS, loop.endpoint.countConnection(remote.getAddress()));
        this.lastInput = loop.now();
    }

    /** The TLS layer, or null for a plain socket. */
    private TlsChannel tls() {
        return io instanceof TlsChannel secured ? secured : null;
    }

    /** The socket; kept by the selection key, not by another field of every connection. */
    private SocketChannel channel() {
        return (SocketChannel) key.channel();
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

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (short) (on ? flags | flag : flags & ~flag);
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    // ---------------------------------------------------------------- input

    void onReadable() {
        TlsChannel tls = tls();
        do {
            if (!readOnce()) {
                return;
            }
            // TLS may hold decrypted bytes, or whole records, that the socket will not signal again.
        } while (tls != null && tls.hasBufferedInput() && state != State.CLOSED && readingEnabled());
        if (tls != null && state != State.CLOSED && (tls.hasPendingOutput() || buffered != 0)) {
            requestFlush(); // the TLS handshake wrote, or finished and lets queued frames go
        }
    }

    /** One read and its decoding; false if the connection ended or nothing came. */
    private boolean readOnce() {
        ByteBuffer in = loop.readBuffer();
        in.clear();
        int read;
        try {
            read = io.read(in);
        } catch (IOException e) {
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
        switch (state) {
            case HANDSHAKE -> handshake.read(in);
            case OPEN, CLOSING -> readFrames(in);
            default -> holdBack(in);
        }
    }

    private void onEndOfInput() {
        if (state == State.OPEN && closeStatus == null) {
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
        if (heldBack != null) {
            ByteBuffer held = heldBack;
            heldBack = null;
            consume(held);
            if (held.hasRemaining()) {
                return; // consume held the rest back again
            }
        }
        if (state != State.CLOSED && canTakeInput()) {
            setReading(true);
            TlsChannel tls = tls();
            if (tls != null && tls.hasBufferedInput()) {
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

    private boolean canTakeInput() {
        return switch (state) {
            case HANDSHAKE -> true;
            case OPEN -> !is(REBINDING) && handler != null && callbacks.idle();
            case CLOSING -> true; // only the peer's Close frame still matters; messages are dropped
            default -> false;
        };
    }

    private void setReading(boolean reading) {
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

    boolean secure() {
        return tls() != null;
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel().getLocalAddress();
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

    /** The handler accepted: the 101 goes out, and the connection is open and bound to {@code instance}. */
    void open(WebSocketUpgrade upgrade, HandshakeView handshake, HandlerBinding openedWith, ConnectionHandler instance) {
        this.handshake = null;
        PerMessageDeflate deflate = settings.perMessageDeflate()
                ? upgrade.negotiateDeflate(false).orElse(null) : null;
        String agreedExtensions = deflate == null ? null : deflate.responseHeader();
        sendUpgradeResponse(HttpResponses.switchingProtocols(
                WebSocketUpgrade.acceptKey(upgrade.key()), handshake.subprotocol(), agreedExtensions,
                handshake.responseHeaders()));
        subprotocol = handshake.subprotocol() == null ? "" : handshake.subprotocol();
        if (deflate != null) {
            deflater = new MessageDeflater(deflate.serverNoContextTakeover(), Deflater.DEFAULT_COMPRESSION);
            decoder = new MessageDecoder(Role.SERVER, settings.limits(), deflate); // others get theirs with their first frame
        }
        binding = openedWith;
        acquired = instance;
        callbacks = callbacksFor(openedWith);
        handler = instance;
        openedAt = (int) ((System.currentTimeMillis() - loop.endpoint.startedAt) / 1000);
        state = State.OPEN;
        set(CONNECT_DELIVERED, true);
        callbacks.call(this, handler, Callbacks.CONNECT, null);
        resumeInput();
    }

    /** Sends a final HTTP answer; the socket closes once it is written. */
    void answerAndClose(ByteBuffer response) {
        handshake = null;
        heldBack = null;
        set(DISCARD_INPUT, true);
        state = State.CLOSING;
        deadline = loop.now() + settings.closeTimeout().toNanos();
        enqueueRaw(OutboundFrame.Kind.FINAL_RESPONSE, response);
        setReading(true); // to see the client leave, and close at once when it does
    }

    /** The 101 goes the way of messages from the loop thread: no queue needed for it. */
    private void sendUpgradeResponse(ByteBuffer response) {
        if (loop.output().stageRaw(this, response)) {
            account(response.remaining());
            requestFlush();
        } else {
            enqueueRaw(OutboundFrame.Kind.UPGRADE_RESPONSE, response);
        }
    }

    private void enqueueRaw(OutboundFrame.Kind kind, ByteBuffer bytes) {
        account(bytes.remaining());
        queue().addData(new OutboundFrame(kind, bytes, null, null));
        requestFlush();
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
                decoder = new MessageDecoder(Role.SERVER, settings.limits(), null);
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
        boolean closing = state == State.CLOSING;
        switch (opcode) {
            case Opcode.TEXT -> {
                if (!closing && deliverable()) {
                    callbacks.call(this, handler, Callbacks.TEXT, loop.text().decode(payload));
                }
            }
            case Opcode.BINARY -> {
                if (!closing && deliverable()) {
                    callbacks.call(this, handler, Callbacks.BINARY, payload);
                }
            }
            case Opcode.PING -> {
                if (!closeQueued) {
                    account(queue().addPong(frame(Opcode.PONG, copy(payload), null)));
                    requestFlush();
                }
            }
            case Opcode.PONG -> {
                if (!closing && deliverable()) {
                    callbacks.call(this, handler, Callbacks.PONG, payload);
                }
            }
            case Opcode.CLOSE -> onCloseFrame(decoder.closeCode(), payload);
            default -> throw new IllegalStateException("decoder returned opcode " + opcode);
        }
    }

    /** False if the handler's removal gave up on this loop: the message goes nowhere, and the connection ends. */
    private boolean deliverable() {
        if (loop.revokes(binding)) {
            handlerLost(binding);
            return false;
        }
        return true;
    }

    private void onCloseFrame(int code, ByteBuffer reason) {
        String text = StandardCharsets.UTF_8.decode(reason).toString();
        closeStatus = CloseStatus.of(code, text); // the peer's word counts over any failure seen before
        set(PEER_CLOSED, true);
        if (is(CLOSE_WRITTEN)) {
            closeChannel();
        } else if (!closeQueued) {
            // Echo the peer's code, as RFC 6455 §5.5.1 suggests; no code gets no code.
            queueClose(code == CloseFrames.NO_STATUS ? ByteBuffer.allocate(0) : CloseFrames.payload(code, ""));
        }
    }

    /** Fails the connection: a Close frame with the code, then the socket ends (RFC 6455 §7.1.7). */
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

    // ---------------------------------------------------------------- frames out

    @Override
    public CompletionStage<Void> send(String text) {
        return sendMessage(Opcode.TEXT, loop.inLoop() ? loop.text().encodeForSend(text) : ByteBuffer.wrap(Text.encode(text)));
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        return sendMessage(Opcode.BINARY, data);
    }

    @Override
    public CompletionStage<Void> ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a ping carries at most 125 bytes, not " + payload.remaining());
        }
        if (closeQueued) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        afterQueued(addControl(frame(Opcode.PING, copy(payload), done)));
        return done;
    }

    private CompletionStage<Void> sendMessage(int opcode, ByteBuffer payload) {
        if (closeQueued || overCap || state == State.CLOSED) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        MessageDeflater compressor = deflater;
        if (compressor != null && payload.remaining() >= COMPRESSION_THRESHOLD) {
            // One lock for compressing and queueing: the frames must go out in the order the
            // compressor saw them, since each may refer back to the ones before.
            synchronized (compressor) {
                if (state == State.CLOSED) {
                    return CompletableFuture.failedFuture(new ClosedChannelException());
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                afterQueued(addData(frame(opcode, copy(compressor.deflate(payload.duplicate())), done, true)));
                return done;
            }
        }
        if (loop.inLoop() && canStage()) {
            int size = FrameWriter.headerSize(payload.remaining(), false) + payload.remaining();
            if (size <= LoopOutput.SIZE) {
                CompletionStage<Void> staged = loop.output().stage(this, opcode, payload);
                if (staged != null) {
                    afterQueued(account(size));
                    return staged;
                }
            } else {
                CompletionStage<Void> written = writeThrough(opcode, payload, size);
                if (written != null) {
                    return written;
                }
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        afterQueued(addData(frame(opcode, copy(payload), done, false)));
        return done;
    }

    /** A large message from the loop thread: written at once as far as the socket takes it. */
    private CompletionStage<Void> writeThrough(int opcode, ByteBuffer payload, int size) {
        account(size); // counted in; the writes count out what the socket takes
        try {
            CompletionStage<Void> written = loop.output().writeThrough(this, opcode, payload);
            if (written == null) {
                account(-size); // not written: the caller queues it, and counts it again
            } else {
                afterQueued(buffered); // the marks and the cap apply to any rest left queued
            }
            return written;
        } catch (IOException e) {
            writeFailed(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * True when a message sent now may go into the loop's output buffer: the connection is open
     * and nothing queued earlier (a message, a pong) would be overtaken. Loop thread only.
     */
    boolean canStage() {
        return state == State.OPEN && !is(WAITING_FOR_WRITABLE) && hasNothingQueued();
    }

    /** True when no frame or HTTP response waits in the queue. Loop thread only. */
    boolean hasNothingQueued() {
        Outbound queue = outbound;
        return queue == null || queue.hasNothingQueued();
    }

    /** The send queue, made on first use by whichever thread needs it first. */
    private Outbound queue() {
        Outbound queue = outbound;
        if (queue == null) {
            Outbound made = new Outbound();
            queue = (Outbound) OUTBOUND.compareAndExchange(this, null, made);
            if (queue == null) {
                queue = made;
            }
        }
        return queue;
    }

    /** Queues a message, the Close frame or an HTTP response; returns the bytes now buffered. */
    private long addData(OutboundFrame frame) {
        long total = account(frame.size);
        queue().addData(frame);
        return total;
    }

    /** Queues a ping, ahead of messages; returns the bytes now buffered. */
    private long addControl(OutboundFrame frame) {
        long total = account(frame.size);
        queue().addControl(frame);
        return total;
    }

    /** Counts bytes in or (negative) out of the buffered total; returns the new total. */
    private long account(long delta) {
        return (long) BUFFERED.getAndAdd(this, delta) + delta;
    }

    @Override
    public void wrote(long bytes) {
        account(-bytes);
        bytesOut += bytes;
    }

    /** Writes bytes the loop's output buffer holds for this connection. */
    void writeDirect(ByteBuffer staged) throws IOException {
        wrote(io.write(staged));
    }

    /** What the socket did not take of the loop's output buffer: it goes out before anything else. */
    void requeueUnwritten(ByteBuffer rest, CompletableFuture<Void> done) {
        queue().addRest(new OutboundFrame(OutboundFrame.Kind.REST, NO_HEADER, rest, done));
        requestFlush();
    }

    /** Writing this connection's bytes failed while another connection had its turn. */
    void writeFailed(IOException e) {
        loop.execute(this::closeChannel);
    }

    private static OutboundFrame frame(int opcode, ByteBuffer payload, CompletableFuture<Void> done) {
        return frame(opcode, payload, done, false);
    }

    private static OutboundFrame frame(int opcode, ByteBuffer payload, CompletableFuture<Void> done, boolean compressed) {
        ByteBuffer header = ByteBuffer.allocate(FrameWriter.headerSize(payload.remaining(), false));
        FrameWriter.writeHeader(header, true, compressed, opcode, payload.remaining());
        return new OutboundFrame(OutboundFrame.Kind.FRAME, header.flip(), payload, done);
    }

    /** Applies the water marks and the hard cap after a frame was queued, then asks for a flush. */
    private void afterQueued(long queued) {
        if (queued > settings.sendQueueCap()) {
            if (!overCap) {
                overCap = true; // refuses the sender's next message at once, before the loop gets to fail()
                runOnLoop(() -> fail(CloseStatus.POLICY_VIOLATION, "send queue over " + settings.sendQueueCap() + " bytes"));
            }
            return;
        }
        if (queued > settings.sendHighWater()) {
            writable = false;
        }
        requestFlush();
    }

    private void queueClose(ByteBuffer payload) {
        closeQueued = true;
        state = State.CLOSING;
        // The clock now, not the loop turn's: a callback may have run long (sent a lot) since then.
        deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        ByteBuffer header = ByteBuffer.allocate(2);
        FrameWriter.writeHeader(header, true, false, Opcode.CLOSE, payload.remaining());
        addData(new OutboundFrame(OutboundFrame.Kind.CLOSE, header.flip(), payload, null));
        requestFlush();
        resumeInput(); // reads may have been paused for a busy or missing handler: the peer's Close must get in
    }

    private void requestFlush() {
        if (loop.inLoop()) {
            if (!is(FLUSH_QUEUED)) {
                set(FLUSH_QUEUED, true);
                loop.flushSoon(this);
            }
        } else if (FLUSH_REQUESTED.compareAndSet(this, false, true)) {
            loop.execute(() -> {
                flushRequested = false;
                requestFlush();
            });
        }
    }

    /** Writes what is queued; called by the loop once per iteration in which something was queued. */
    void flush() {
        set(FLUSH_QUEUED, false);
        if (state == State.CLOSED || is(WAITING_FOR_WRITABLE)) {
            return;
        }
        TlsChannel tls = tls();
        boolean drained;
        try {
            loop.output().write(this);
            Outbound queue = outbound;
            drained = (queue == null || queue.flush(io, loop.gather(), loop.output().lend(), this)) && (tls == null || !tls.hasPendingOutput());
        } catch (IOException e) {
            closeChannel();
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (!drained && !(tls != null && tls.waitingForPeer() && !tls.hasPendingOutput())) {
            // (A TLS handshake that waits for the peer resumes the flush after the next read.)
            set(WAITING_FOR_WRITABLE, true);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (!writable && state == State.OPEN && buffered < settings.sendLowWater()) {
            writable = true;
            ConnectionHandler current = handler;
            if (current != null) { // while the connection waits for a handler, the next one learns it through adopt
                callbacks.call(this, current, Callbacks.WRITABLE, null);
            }
        }
    }

    void onWritable() {
        TlsChannel tls = tls();
        try {
            if (tls != null && !tls.flushPending()) {
                return; // still ciphertext the socket cannot take: keep waiting
            }
        } catch (IOException e) {
            closeChannel();
            return;
        }
        set(WAITING_FOR_WRITABLE, false);
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        flush();
    }

    @Override
    public void written(OutboundFrame frame) {
        switch (frame.kind) {
            case CLOSE -> {
                set(CLOSE_WRITTEN, true);
                if (is(PEER_CLOSED)) {
                    closeChannel(); // RFC 6455 §7.1.1: the server closes the TCP connection first
                } else if (is(DISCARD_INPUT)) {
                    shutdownOutput();
                }
            }
            case FINAL_RESPONSE -> shutdownOutput();
            default -> {
            }
        }
    }

    /** Half-closes: the peer sees the end of our bytes and closes; unread input cannot reset them. */
    private void shutdownOutput() {
        TlsChannel tls = tls();
        try {
            if (tls != null) {
                tls.shutdownOutput();
            } else {
                channel().shutdownOutput();
            }
        } catch (IOException e) {
            closeChannel();
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close(int code, String reason) {
        CloseStatus status = CloseStatus.of(code, reason);
        if (!CloseStatus.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        runOnLoop(() -> {
            if (!closeQueued && state == State.OPEN) {
                queueClose(CloseFrames.payload(status.code(), status.reason()));
            }
        });
    }

    @Override
    public void abort() {
        runOnLoop(this::closeChannel);
    }

    /** The endpoint is stopping: 1001 to open connections, the socket closed for the rest. */
    void goAway() {
        if (state == State.OPEN) {
            queueClose(CloseFrames.payload(CloseStatus.GOING_AWAY, "server stopping"));
        } else if (state != State.CLOSING) {
            closeChannel();
        }
    }

    /** Ends the connection at once and tells its handler, exactly once. */
    void closeChannel() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeQueued = true;
        InetSocketAddress peer = remote(); // now: a closed socket no longer tells its address
        key.cancel();
        try {
            io.close();
        } catch (IOException e) {
        }
        loop.output().discard(this, null);
        Outbound queue = outbound;
        if (queue != null) {
            queue.failAll();
        }
        buffered = 0;
        if (decoder != null) {
            decoder.release();
        }
        if (deflater != null) {
            synchronized (deflater) { // a sender may be compressing right now
                deflater.release();
            }
        }
        heldBack = null;
        if (peer != null) {
            loop.endpoint.uncountConnection(peer.getAddress());
        }
        if (is(CONNECT_DELIVERED) && handler != null) {
            CloseStatus status = closeStatus != null ? closeStatus : CloseStatus.of(CloseStatus.ABNORMAL);
            callbacks.call(this, handler, Callbacks.DISCONNECT, status);
        }
        handshake = null; // a blocking validate still running releases its instance when it returns
        releaseBinding(null);
    }

    void checkTimers(long now) {
        switch (state) {
            case HANDSHAKE -> {
                if (now - deadline >= 0) {
                    answerAndClose(HttpResponses.error(408, "Request Timeout", List.of()));
                }
            }
            case VALIDATING -> {
                if (now - deadline >= 0) { // a blocking validate that never returns: its instance waits for it
                    answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
                }
            }
            case CLOSING -> {
                if (now - deadline >= 0) {
                    closeChannel();
                }
            }
            case OPEN -> {
                if (!is(DETACHED)) {
                    checkIdle(now);
                } else if (now - deadline >= 0) { // (reads are paused: idleness means nothing here)
                    set(DETACHED, false);
                    queueClose(CloseFrames.payload(CloseStatus.GOING_AWAY, "no handler"));
                }
            }
            default -> {
            }
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

    // ---------------------------------------------------------------- handlers

    @Override
    public void setHandler(ConnectionHandler next) {
        Objects.requireNonNull(next, "handler");
        handoff = next;
        // From an inline callback, the callback's end applies it; from a blocking one, the end of
        // the worker's turn; from elsewhere, this task. Never at once: a callback in progress
        // finishes first.
        loop.execute(this::applyHandoff);
    }

    /**
     * Moves the connection to the handler setHandler named, if no callback is pending (else the
     * end of the pending ones comes back here): its adopt comes before any further message, and
     * a connection that waited for a handler reads again. Loop thread only.
     *
     * @return whether it moved the connection (and so resumed its input)
     */
    boolean applyHandoff() {
        if (handoff == null || callbacks == null || state != State.OPEN || is(REBINDING) || !callbacks.idle()) {
            return false; // nothing asked; not open yet; ending; or a move or a callback comes first
        }
        ConnectionHandler next = (ConnectionHandler) HANDOFF.getAndSet(this, null);
        handler = next;
        set(DETACHED, false);
        callbacks.call(this, next, Callbacks.ADOPT, null);
        resumeInput();
        return true;
    }

    ConnectionHandler handler() {
        return handler;
    }

    SelectorLoop loop() {
        return loop;
    }

    /**
     * The handler binding of this connection is going away: from now on no callback goes to its
     * handler; once those already submitted have returned, its instance is released and the
     * connection moves to the binding {@code next} names for its path then (none: it waits with
     * reads paused). An ending connection just lets its handler go. Loop thread only.
     *
     * @return what the removal waits for; null if there is nothing to wait for
     */
    Detachment moveAway(Function<String, HandlerBinding> next) {
        if (binding == null) {
            return null; // not bound: still in the handshake, waiting, or on its way to another
        }
        boolean staysOpen = state == State.OPEN;
        set(REBINDING, staysOpen);
        moveTarget = staysOpen ? next : null;
        handler = null; // nothing more goes to it: input waits, and writable has no one to tell
        return releaseBinding(staysOpen ? this::applyMove : null);
    }

    /**
     * Binds the connection to {@code to} if it waits for a handler, or, with {@code everyConnection},
     * wherever it is bound (a handler that adopts its route's live connections at once). Loop thread only.
     */
    Detachment adoptBy(HandlerBinding to, boolean everyConnection) {
        if (state != State.OPEN || is(REBINDING)) {
            return null; // a connection on its way looks up the best binding when it gets there
        }
        if (is(DETACHED)) {
            bindTo(to);
            return null;
        }
        return everyConnection && binding != null && binding != to ? moveAway(path -> to) : null;
    }

    private void applyMove() {
        set(REBINDING, false);
        Function<String, HandlerBinding> lookup = moveTarget;
        moveTarget = null;
        if (state == State.OPEN) {
            bindTo(lookup.apply(path()));
        }
    }

    /** Binds the connection to {@code next}; with none, or none to be had, it waits for one. */
    private void bindTo(HandlerBinding next) {
        if (next != null) {
            try {
                acquired = next.acquire();
                binding = next;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "no handler from " + next + " for " + this + "; waiting for another", e);
            }
        }
        if (binding == null) {
            if (!is(DETACHED)) {
                set(DETACHED, true);
                deadline = loop.now() + settings.swapGracePeriod().toNanos();
            }
            set(PING_OUTSTANDING, false);
            setReading(false);
            return;
        }
        set(DETACHED, false);
        handler = acquired;
        if (binding.blocking() != (callbacks instanceof Callbacks.OnWorkers)) {
            callbacks = callbacksFor(binding);
        }
        callbacks.call(this, handler, Callbacks.ADOPT, null);
        resumeInput();
    }

    /**
     * The handler of {@code gone} was given up past its removal's bound, with a callback still
     * running: the connection ends (1011, or 503 in the handshake) without calling or releasing it.
     */
    void handlerLost(HandlerBinding gone) {
        if (binding != null && binding != gone) {
            return; // moved on already
        }
        handler = null;
        binding = null;
        acquired = null;
        if (state == State.VALIDATING) {
            answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
        } else if (state == State.OPEN) {
            fail(CloseStatus.INTERNAL_ERROR, "handler removed while a callback was running");
        }
    }

    /** The binding this connection is bound to, or validating with; null while it has none. */
    HandlerBinding boundTo() {
        return binding;
    }

    /** The path of the request; null before the request head is read. */
    String path() {
        return request == null ? null : request.path();
    }

    /** A snapshot for tools; null before the handshake completes. Loop thread only. */
    ConnectionInfo info() {
        if (!is(CONNECT_DELIVERED) || state == State.CLOSED) {
            return null;
        }
        return new ConnectionInfo(id, path(), remote(), binding, Instant.ofEpochMilli(loop.endpoint.startedAt).plusSeconds(openedAt), bytesIn, bytesOut);
    }

    private Callbacks callbacksFor(HandlerBinding next) {
        return next.blocking() ? new Callbacks.OnWorkers(this, loop.endpoint.workers()) : Callbacks.INLINE;
    }

    /**
     * Gives the acquired handler back to its binding once the callbacks already submitted to it
     * have returned, then runs {@code then} on the loop. Until then the loop lists the release, so
     * that a removal of the binding waits for it.
     */
    private Detachment releaseBinding(Runnable then) {
        HandlerBinding from = binding;
        ConnectionHandler instance = acquired;
        binding = null;
        acquired = null;
        if (from == null) {
            return null;
        }
        if (!callbacks.deferring(this)) { // the common case: nothing to wait for, nothing to track
            release(from, instance, this);
            if (then != null) {
                then.run();
            }
            return null;
        }
        Detachment detachment = loop.track(new Detachment(from, instance, this, callbacks));
        callbacks.afterPending(this, () -> {
            loop.untrack(detachment);
            detachment.release();
            if (then != null) {
                runOnLoop(then);
            }
        });
        return detachment;
    }

    /** Gives a handler instance back, containing the binding's failure. */
    static void release(HandlerBinding from, ConnectionHandler instance, WsConnection connection) {
        try {
            from.release(instance);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "releasing the handler of " + connection + " failed", e);
        }
    }

    /** A handler callback threw: the handler hears of it, then the connection closes with 1011. */
    void callbackFailed(ConnectionHandler failed, Throwable cause) {
        LOG.log(Level.WARNING, "handler " + failed + " failed on connection " + id, cause);
        try {
            failed.failure(this, cause);
        } catch (Throwable again) {
            LOG.log(Level.WARNING, "failure() of handler " + failed + " threw too", again);
        }
        runOnLoop(() -> fail(CloseStatus.INTERNAL_ERROR, "internal error"));
    }

    void runOnLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ---------------------------------------------------------------- Connection

    @Override
    public long id() {
        return id;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return deflater == null ? List.of() : List.of(PerMessageDeflate.NAME);
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && !overCap; // past the cap it is as good as closed: sends are refused
    }

    @Override
    public long bufferedAmount() {
        return buffered;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote();
    }

    /** A copy of the remaining bytes; the source's position does not move. */
    private static ByteBuffer copy(ByteBuffer source) {
        return ByteBuffer.allocate(source.remaining()).put(source.duplicate()).flip();
    }

    /** The server's own reasons are ASCII, so cutting characters cuts bytes. */
    private static String fitReason(String reason) {
        return reason.length() <= CloseStatus.MAX_REASON_BYTES ? reason : reason.substring(0, CloseStatus.MAX_REASON_BYTES);
    }
}

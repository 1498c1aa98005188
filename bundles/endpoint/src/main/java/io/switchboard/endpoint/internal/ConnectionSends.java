package io.switchboard.endpoint.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Request;
import io.switchboard.codec.CloseFrames;
import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;

/**
 * The part of a connection that <b>any thread</b> may use: the {@link Connection} methods a
 * handler, a timer or another connection calls — send, ping, close, abort, setHandler, the
 * attachment — the sends and the membership of a {@link ConnectionGroup}, and the thread-safe
 * send queue with its byte count and water marks behind them.
 * Everything else about the connection is loop-thread-only and lives in the subclasses:
 * {@link ConnectionFlusher} (writing out), {@link ConnectionBinding} (handlers and hot swap),
 * {@link WsConnection} (input, timers, closing). A subclass, not a field, so that an idle
 * connection pays for no extra object.
 *
 * <p>What crosses threads here is volatile or goes through field handles; what must happen on
 * the loop is handed to it as a task ({@link #runOnLoop}).
 */
abstract class ConnectionSends implements Connection {
    /** Field handles rather than atomic objects: every connection has these, most of them idle. */
    private static final VarHandle HANDOFF;
    private static final VarHandle FLUSH_REQUESTED;
    private static final VarHandle OUTBOUND;
    private static final VarHandle BUFFERED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HANDOFF = lookup.findVarHandle(ConnectionSends.class, "handoff", ConnectionHandler.class);
            FLUSH_REQUESTED = lookup.findVarHandle(ConnectionSends.class, "flushRequested", boolean.class);
            OUTBOUND = lookup.findVarHandle(ConnectionSends.class, "outbound", Outbound.class);
            BUFFERED = lookup.findVarHandle(ConnectionSends.class, "buffered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final AtomicLong IDS = new AtomicLong();
    /** permessage-deflate compresses messages from this size on; below, the frame header costs more than it saves. */
    private static final int COMPRESSION_THRESHOLD = 256;

    enum State {
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

    final long id = IDS.incrementAndGet();
    final SelectorLoop loop;
    final Settings settings;
    /** Written by the loop; read by senders, which refuse once the connection is closed. */
    volatile State state = State.HANDSHAKE;
    /** Set once, on the loop, before the handler hears of the connection. */
    Request request;
    String subprotocol = "";
    volatile MessageDeflater deflater;
    /** The handler callbacks go to; changed on the loop only (see {@link ConnectionBinding}). */
    volatile ConnectionHandler handler;
    /** The handler setHandler named, until the loop applies it between two callbacks. */
    volatile ConnectionHandler handoff;
    /**
     * The opcode of the message being sent in parts, 0 if none: whole messages are refused until
     * its last part. Written under this connection's monitor.
     */
    volatile byte sendingParts;
    /** The handler asked the loop to read nothing (pauseReading); the loop looks before decoding each message. */
    volatile boolean readingPaused;

    /** Made by the first frame that has to wait in a queue: see {@link #queue()}. */
    volatile Outbound outbound;
    /** Bytes sent and not yet written, queued or in the loop's output buffer. */
    volatile long buffered;
    /** A flush task is on its way to the loop. */
    private volatile boolean flushRequested;
    volatile boolean writable = true;
    volatile boolean closeQueued;
    /** The send queue passed its hard cap: every further message is refused. */
    volatile boolean overCap;
    private volatile Object attachment;
    /** The groups this connection is in; null if none. Guarded by this connection's monitor (see {@link ConnectionGroup}). */
    Set<ConnectionGroup> groups;

    ConnectionSends(SelectorLoop loop, Settings settings) {
        this.loop = loop;
        this.settings = settings;
    }

    // ---------------------------------------------------------------- what the loop side provides

    /** Whether this is the client end, whose frames are masked. Fixed from the start: any thread. */
    abstract boolean client();

    /** Whether a message sent now on the loop thread may go into the loop's output buffer. */
    abstract boolean canStage();

    /** Leaves a broadcast frame for this turn's flush, on the loop thread; false if it must be queued. */
    abstract boolean stageShared(ByteBuffer frame);

    /** A message too large for the loop's output buffer, sent on the loop thread: written at once if it can be. */
    abstract CompletionStage<Void> writeThrough(int opcode, ByteBuffer payload, int size);

    /** Puts the connection on its loop's list of connections to flush this turn. Loop thread. */
    abstract void flushSoon();

    /** Queues a Close frame, if none was. Loop thread. */
    abstract void queueClose(ByteBuffer payload);

    /** Fails the connection with {@code code}. Loop thread. */
    abstract void fail(int code, String reason);

    /** Ends the connection at once. Loop thread. */
    abstract void closeChannel();

    /** Applies a pending setHandler if it can now; true if it did. Loop thread. */
    abstract boolean applyHandoff();

    /** receiveInParts was called: the decoder learns it before the next message. Loop thread. */
    abstract void partsChosen(boolean text, boolean binary);

    /** pauseReading or resumeReading was called: the socket's read interest follows the flag. Loop thread. */
    abstract void readingPauseChanged();

    // ---------------------------------------------------------------- sending

    @Override
    public CompletionStage<Void> send(String text) {
        return sendMessage(Opcode.TEXT, loop.inLoop() ? loop.text().encodeForSend(text) : ByteBuffer.wrap(Text.encode(text)));
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer data) {
        return sendMessage(Opcode.BINARY, data);
    }

    @Override
    public CompletionStage<Void> sendPart(String text, boolean last) {
        return PartSends.send(this, Opcode.TEXT, ByteBuffer.wrap(Text.encode(text)), last);
    }

    @Override
    public CompletionStage<Void> sendPart(ByteBuffer data, boolean last) {
        return PartSends.send(this, Opcode.BINARY, copy(data), last);
    }

    @Override
    public CompletionStage<Void> ping(ByteBuffer payload) {
        return sendControl(Opcode.PING, payload);
    }

    @Override
    public CompletionStage<Void> pong(ByteBuffer payload) {
        return sendControl(Opcode.PONG, payload);
    }

    private CompletionStage<Void> sendControl(int opcode, ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a control frame carries at most 125 bytes, not " + payload.remaining());
        }
        if (closeQueued) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        afterQueued(addControl(frame(opcode, copy(payload), done)));
        return done;
    }

    /** Sends a whole message; while one goes out in parts, see {@link PartSends}. */
    private CompletionStage<Void> sendMessage(int opcode, ByteBuffer payload) {
        if (closeQueued || overCap || state == State.CLOSED) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (sendingParts != 0) {
            throw new IllegalStateException("a message is being sent in parts: send its last part first");
        }
        MessageDeflater compressor = deflater;
        if (compressor != null && payload.remaining() >= COMPRESSION_THRESHOLD && compressor.compresses(payload.remaining())) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            return sendCompressed(opcode, payload, compressor, done) ? done
                    : CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (loop.inLoop() && canStage()) { // the common case: a handler answering on its loop
            int size = FrameWriter.headerSize(payload.remaining(), client()) + payload.remaining();
            if (size <= LoopOutput.SIZE) {
                CompletionStage<Void> staged = loop.output().stage((ConnectionFlusher) this, opcode, payload);
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

    /** Compresses a message with this connection's own compressor and queues it; false if the connection has ended. */
    private boolean sendCompressed(int opcode, ByteBuffer payload, MessageDeflater compressor, CompletableFuture<Void> done) {
        // One lock for compressing and queueing: the frames must go out in the order the
        // compressor saw them, since each may refer back to the ones before.
        synchronized (compressor) {
            if (state == State.CLOSED) {
                return false;
            }
            afterQueued(addData(frame(opcode, copy(compressor.deflate(payload.duplicate())), done, true)));
            return true;
        }
    }

    /**
     * Queues a message encoded once for many connections: a view of the shared plain or
     * compressed frame, or, with context takeover, the message compressed by this connection's
     * own compressor. Nobody waits for its completion, so it has no stage.
     *
     * @return false if the connection is closing or gone
     */
    final boolean sendShared(SharedMessage message) {
        if (closeQueued || overCap || state == State.CLOSED) {
            return false;
        }
        MessageDeflater compressor = deflater;
        boolean compress = compressor != null && message.length() >= COMPRESSION_THRESHOLD && compressor.compresses(message.length());
        if (compress && (!compressor.resetsAfterMessage() || client())) {
            return sendCompressed(message.opcode, message.payload(), compressor, null);
        }
        if (client()) { // the shared frames are unmasked: a client masks a copy of its own
            afterQueued(addData(frame(message.opcode, copy(message.payload()), null, false)));
            return true;
        }
        ByteBuffer frame = compress ? message.compressedFrame(compressor.level()) : message.plainFrame();
        if (!loop.inLoop() || sendingParts != 0 || !stageShared(frame)) { // (queued, it waits for the parts' end)
            afterQueued(addData(new OutboundFrame(OutboundFrame.Kind.FRAME, frame.duplicate(), null, null)));
        }
        return true;
    }

    /** The send queue, made on first use by whichever thread needs it first. */
    Outbound queue() {
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
    long addData(OutboundFrame frame) {
        long total = account(frame.size);
        queue().addData(frame);
        return total;
    }

    /** Queues a ping or pong, ahead of messages; returns the bytes now buffered. */
    long addControl(OutboundFrame frame) {
        long total = account(frame.size);
        queue().addControl(frame);
        return total;
    }

    /** Counts bytes in or (negative) out of the buffered total; returns the new total. */
    long account(long delta) {
        return (long) BUFFERED.getAndAdd(this, delta) + delta;
    }

    /** Applies the water marks and the hard cap after a frame was queued, then asks for a flush. */
    void afterQueued(long queued) {
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

    /** Asks the loop to flush this connection: at the end of this turn, or, from another thread, by a task. */
    void requestFlush() {
        if (loop.inLoop()) {
            flushSoon();
        } else if (FLUSH_REQUESTED.compareAndSet(this, false, true)) {
            loop.execute(() -> {
                flushRequested = false;
                flushSoon();
            });
        }
    }

    OutboundFrame frame(int opcode, ByteBuffer payload, CompletableFuture<Void> done) {
        return frame(opcode, payload, done, false);
    }

    /** A frame of {@code payload}, which this connection owns: a client masks it in place. */
    private OutboundFrame frame(int opcode, ByteBuffer payload, CompletableFuture<Void> done, boolean compressed) {
        return new OutboundFrame(OutboundFrame.Kind.FRAME, MaskKeys.header(client(), compressed, opcode, payload), payload, done);
    }

    // ---------------------------------------------------------------- closing and handing on

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

    @Override
    public void setHandler(ConnectionHandler next) {
        Objects.requireNonNull(next, "handler");
        handoff = next;
        // From an inline callback, the callback's end applies it; from a blocking one, the end of
        // the worker's turn; from elsewhere, this task. Never at once: a callback in progress
        // finishes first.
        loop.execute(this::applyHandoff);
    }

    @Override
    public void receiveInParts(boolean text, boolean binary) {
        runOnLoop(() -> partsChosen(text, binary));
    }

    @Override
    public void pauseReading() {
        readingPaused = true; // seen by the loop before it decodes the next message
        runOnLoop(this::readingPauseChanged);
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
        runOnLoop(this::readingPauseChanged);
    }

    /** Takes the handler setHandler named, once. */
    ConnectionHandler takeHandoff() {
        return (ConnectionHandler) HANDOFF.getAndSet(this, null);
    }

    void runOnLoop(Runnable task) {
        if (loop.inLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /**
     * The sending half's end, once the state is CLOSED (loop thread): what is still queued fails,
     * the compressor is let go, and the connection leaves every group (no join succeeds now).
     */
    final void releaseSending() {
        Outbound queue = outbound;
        if (queue != null) {
            queue.failAll();
        }
        buffered = 0;
        MessageDeflater compressor = deflater;
        if (compressor != null) {
            synchronized (compressor) { // a sender may be compressing right now
                compressor.release();
            }
        }
        ConnectionGroup.leaveAll(this);
    }

    // ---------------------------------------------------------------- Connection

    /**
     * Equal only to itself, as Object's, but hashed by its id: a group's member map hashes it
     * under the connection's monitor ({@link ConnectionGroup#join}), and Object's identity hash taken there
     * would inflate the monitor and send every later hash, one per member per broadcast, down
     * the JVM's slow path.
     */
    @Override
    public final int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public final boolean equals(Object other) {
        return this == other;
    }

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

    /** A copy of the remaining bytes; the source's position does not move. */
    static ByteBuffer copy(ByteBuffer source) {
        return ByteBuffer.allocate(source.remaining()).put(source.duplicate()).flip();
    }
}

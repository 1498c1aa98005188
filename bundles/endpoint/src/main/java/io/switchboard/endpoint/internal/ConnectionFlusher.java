package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.switchboard.api.CloseStatus;
import io.switchboard.codec.Role;

/**
 * How a connection's bytes get out: the loop's output buffer, then the send queue, through the
 * {@link Transport} to the socket; a short write waits for {@code OP_WRITE}. <b>Loop thread
 * only</b>, as is everything below {@link ConnectionSends}.
 *
 * <p>The flush states and their legal moves (anything else is a bug, and fails the connection):
 * <pre>
 *   from \ to              IDLE                 QUEUED           WAITING_FOR_WRITABLE
 *   IDLE                   -                    a send           -
 *   QUEUED                 written out          -                a short write
 *   WAITING_FOR_WRITABLE   OP_WRITE, written    -                (stays: sends wait for OP_WRITE)
 * </pre>
 * QUEUED means on the loop's list of connections to flush at the end of this turn, so that
 * however many messages a turn sends, the connection writes once.
 */
abstract class ConnectionFlusher extends ConnectionSends implements Outbound.Listener {
    static final System.Logger LOG = System.getLogger(WsConnection.class.getName());
    private static final ByteBuffer NO_HEADER = ByteBuffer.allocate(0);

    enum FlushState {
        IDLE, QUEUED, WAITING_FOR_WRITABLE;

        /** The table above: only an idle connection is queued; only a queued or waiting one writes. */
        boolean mayBecome(FlushState next) {
            return next == QUEUED ? this == IDLE : this != IDLE;
        }
    }

    // Conditions of the connection, one bit each in {@link #flags}; the flush state takes two more.
    /** This socket did not take the endpoint or its address past a connection limit. */
    static final int WITHIN_LIMITS = 1;
    /** A move to another binding is waiting for the callbacks in progress to finish. */
    static final int REBINDING = 1 << 1;
    /** The connection lost its handler with no replacement; the deadline ends the swap grace period. */
    static final int DETACHED = 1 << 2;
    /** The handler was told of the connection: it is owed a disconnect. */
    static final int CONNECT_DELIVERED = 1 << 3;
    static final int CLOSE_WRITTEN = 1 << 4;
    /** After a violation or a final HTTP answer: read and discard until the peer goes away. */
    static final int DISCARD_INPUT = 1 << 5;
    /** A keepalive ping is unanswered; the deadline is when that fails the connection. */
    static final int PING_OUTSTANDING = 1 << 6;
    /** The peer's Close frame came. */
    static final int PEER_CLOSED = 1 << 7;
    /** The client end of the connection: it masks what it sends, and the server must not. Set once, in the constructor. */
    static final int CLIENT = 1 << 10;
    /** The handler receives text messages in parts (receiveInParts). */
    static final int TEXT_IN_PARTS = 1 << 11;
    /** The handler receives binary messages in parts (receiveInParts). */
    static final int BINARY_IN_PARTS = 1 << 12;
    private static final int FLUSH_SHIFT = 8;
    private static final int FLUSH_BITS = 3 << FLUSH_SHIFT;
    private static final FlushState[] FLUSH_STATES = FlushState.values();

    SelectionKey key;
    /** How bytes reach the socket: as they are, or through TLS. */
    final Transport transport;
    /** See the constants above. */
    private short flags;
    /** Bytes written to the socket. */
    long bytesOut;
    /** The first and last of this turn's broadcast frames for this connection in {@link LoopShares}; -1 if none. */
    private int firstShare = -1;
    private int lastShare = -1;

    ConnectionFlusher(SelectorLoop loop, Settings settings, Transport transport) {
        super(loop, settings);
        this.transport = transport;
    }

    @Override
    final boolean client() {
        return is(CLIENT);
    }

    final Role role() {
        return is(CLIENT) ? Role.CLIENT : Role.SERVER;
    }

    /** The connection's own reasons are ASCII, so cutting characters cuts bytes. */
    static String fitReason(String reason) {
        return reason.length() <= CloseStatus.MAX_REASON_BYTES ? reason : reason.substring(0, CloseStatus.MAX_REASON_BYTES);
    }

    final boolean is(int flag) {
        return (flags & flag) != 0;
    }

    final void set(int flag, boolean on) {
        flags = (short) (on ? flags | flag : flags & ~flag);
    }

    final FlushState flushState() {
        return FLUSH_STATES[(flags & FLUSH_BITS) >> FLUSH_SHIFT];
    }

    private void flushState(FlushState next) {
        FlushState now = flushState();
        if (now != next && !now.mayBecome(next)) {
            throw new IllegalStateException("connection " + id + ": flush state " + now + " cannot become " + next);
        }
        flags = (short) ((flags & ~FLUSH_BITS) | next.ordinal() << FLUSH_SHIFT);
    }

    /** The socket; kept by the selection key, not by another field of every connection. */
    final SocketChannel channel() {
        return (SocketChannel) key.channel();
    }

    void register(SelectionKey key) {
        this.key = key;
        transport.register(key);
    }

    /** There may be demand for input again. */
    abstract void resumeInput();

    /**
     * TLS has finished a handshake step on another thread (its next messages are out): reading
     * resumes if the connection takes input, and what waits to be written goes. Loop thread.
     */
    final void tlsComputed() {
        resumeInput();
        if (transport.hasPendingOutput() || !hasNothingQueued()) {
            flushSoon();
        }
    }

    /** Whether this is wss. */
    final boolean secure() {
        return transport.secure();
    }

    final InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel().getLocalAddress();
    }

    // ---------------------------------------------------------------- staging and writing through

    /**
     * True when a message sent now may go into the loop's output buffer: the connection is open
     * and nothing queued earlier (a message, a pong) would be overtaken.
     */
    @Override
    final boolean canStage() {
        return state == State.OPEN && flushState() != FlushState.WAITING_FOR_WRITABLE && hasNothingQueued();
    }

    /** True when no frame or HTTP response waits in the queue or among the loop's shares. */
    final boolean hasNothingQueued() {
        return firstShare < 0 && queueIsEmpty();
    }

    /**
     * True when no frame waits in the send queue. A frame is counted in {@link #buffered} by the
     * time the loop looks (another thread counts it before queuing it) and counted out only once
     * written, as are the bytes staged in the loop's output buffer; so while the count is no more
     * than what this connection has staged there, the queue need not be looked at: with thousands
     * of connections, it is one more object each message would likely miss in the cache.
     */
    private boolean queueIsEmpty() {
        Outbound queue = outbound;
        return queue == null || buffered == loop.output().stagedBy(this) || queue.hasNothingQueued();
    }

    /**
     * Leaves a broadcast frame for this turn's flush in the loop's {@link LoopShares}, if it can
     * go out after this connection's other bytes without a queue: open, not waiting for the
     * socket, nothing queued and nothing in the loop's output buffer (whose rest, should the
     * socket not take it all, would go to the queue, behind the frame).
     */
    @Override
    final boolean stageShared(ByteBuffer frame) {
        if (state != State.OPEN || flushState() == FlushState.WAITING_FOR_WRITABLE || !queueIsEmpty()
                || loop.output().owner() == this) {
            return false;
        }
        lastShare = loop.shares().add(frame, lastShare);
        if (firstShare < 0) {
            firstShare = lastShare;
        }
        afterQueued(account(frame.remaining()));
        return true;
    }

    @Override
    final CompletionStage<Void> writeThrough(int opcode, ByteBuffer payload, int size) {
        if (is(CLIENT)) {
            return null; // the payload is the sender's: a client masks a copy of it, in the queue
        }
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
     * The head of an opening handshake — a server's 101, a client's upgrade request or its
     * {@code CONNECT} to a proxy — goes the way of messages from the loop thread: no queue needed for it.
     */
    final void sendOpeningHead(ByteBuffer response) {
        if (loop.output().stageRaw(this, response)) {
            account(response.remaining());
            requestFlush();
        } else {
            enqueueRaw(OutboundFrame.Kind.UPGRADE_RESPONSE, response);
        }
    }

    final void enqueueRaw(OutboundFrame.Kind kind, ByteBuffer bytes) {
        account(bytes.remaining());
        queue().addData(new OutboundFrame(kind, bytes, null, null));
        requestFlush();
    }

    /** Writes bytes the loop's output buffer holds for this connection. */
    final void writeDirect(ByteBuffer staged) throws IOException {
        wrote(write(staged));
    }

    /** What the socket did not take of the loop's output buffer: it goes out before anything else. */
    final void requeueUnwritten(ByteBuffer rest, CompletableFuture<Void> done) {
        queue().addRest(new OutboundFrame(OutboundFrame.Kind.REST, NO_HEADER, rest, done));
        requestFlush();
    }

    /** Writing this connection's bytes failed while another connection had its turn. */
    final void writeFailed(IOException e) {
        LOG.log(Level.DEBUG, () -> "connection " + id + ": write failed: " + e.getMessage());
        loop.execute(this::closeChannel);
    }

    @Override
    public final int write(ByteBuffer bytes) throws IOException {
        return transport.write(channel(), bytes);
    }

    @Override
    public final void wrote(long bytes) {
        account(-bytes);
        bytesOut += bytes;
    }

    // ---------------------------------------------------------------- flushing

    @Override
    final void flushSoon() {
        if (flushState() == FlushState.IDLE) { // queued already, or OP_WRITE will flush it all
            flushState(FlushState.QUEUED);
            loop.flushSoon((WsConnection) this);
        }
    }

    /** Writes what is queued; called by the loop once per turn in which something was queued. */
    final void flush() {
        if (flushState() == FlushState.QUEUED) { // (waiting for OP_WRITE, the readiness event flushes)
            writeOut();
        }
    }

    void onWritable() {
        try {
            if (!transport.flushPending(channel())) {
                return; // still ciphertext the socket cannot take: keep waiting
            }
        } catch (IOException e) {
            closeChannel();
            return;
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        writeOut();
    }

    /** Writes the loop's output buffer's bytes of this connection, then its queue, as far as the socket takes them. */
    private void writeOut() {
        if (state == State.CLOSED) {
            return;
        }
        boolean drained;
        try {
            loop.output().write(this);
            if (firstShare >= 0) {
                writeShares();
            }
            drained = (queueIsEmpty() || outbound.flush(loop.gather(), loop.output().lend(), this)) && !transport.hasPendingOutput();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection " + id + ": write failed: " + e.getMessage());
            closeChannel();
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (drained || (transport.waitingForPeer() && !transport.hasPendingOutput())) {
            // (A TLS handshake that waits for the peer resumes the flush after the next read.)
            flushState(FlushState.IDLE);
        } else {
            flushState(FlushState.WAITING_FOR_WRITABLE);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (!writable && state == State.OPEN && buffered < settings.sendLowWater()) {
            writable = true;
            becameWritable();
        }
    }

    /**
     * Writes this turn's broadcast frames, as many as the loop's output buffer holds per write.
     * What the socket does not take goes to the send queue: the unwritten bytes as a rest, then
     * the frames not yet begun, as views of the shared bytes.
     */
    private void writeShares() throws IOException {
        LoopShares shares = loop.shares();
        ByteBuffer run = shares.run(firstShare);
        if (run != null) { // the common case: this turn's frames lie in one stretch of the loop's arena
            firstShare = lastShare = -1;
            int length = run.remaining();
            int wrote = write(run);
            wrote(wrote);
            if (wrote < length) {
                queueUnwrittenShares(run, -1, 0);
            }
            return;
        }
        ByteBuffer out = loop.output().lend();
        int share = firstShare;
        int offset = 0; // into the frame at share: how much of it is in the buffer already
        firstShare = lastShare = -1; // from here on they are written or queued, or the connection has failed
        try {
            while (share >= 0) {
                out.clear();
                while (share >= 0 && out.hasRemaining()) { // copy frames until the buffer is full
                    ByteBuffer frame = shares.frame(share);
                    int length = Math.min(frame.remaining() - offset, out.remaining());
                    out.put(out.position(), frame, frame.position() + offset, length).position(out.position() + length);
                    offset += length;
                    if (offset == frame.remaining()) {
                        share = shares.next(share);
                        offset = 0;
                    }
                }
                int copied = out.position();
                int wrote = write(out.flip());
                wrote(wrote);
                if (wrote < copied) {
                    queueUnwrittenShares(out, share, offset);
                    return;
                }
            }
        } finally {
            out.clear();
        }
    }

    /** Queues the rest of the buffer, the rest of the frame at {@code share} and the frames after it. */
    private void queueUnwrittenShares(ByteBuffer out, int share, int offset) {
        LoopShares shares = loop.shares();
        ByteBuffer begun = share >= 0 && offset > 0 ? shares.frame(share) : null;
        int beganLength = begun == null ? 0 : begun.remaining() - offset;
        ByteBuffer rest = ByteBuffer.allocate(out.remaining() + beganLength).put(out);
        if (begun != null) {
            rest.put(begun.slice(begun.position() + offset, beganLength));
            share = shares.next(share);
        }
        Outbound queue = queue();
        queue.addRest(new OutboundFrame(OutboundFrame.Kind.REST, NO_HEADER, rest.flip(), null));
        for (; share >= 0; share = shares.next(share)) {
            queue.addAfterRest(new OutboundFrame(OutboundFrame.Kind.FRAME, shares.frame(share).duplicate(), null, null));
        }
    }

    /** Drops what the loop holds for this connection, which has ended: its output buffer's bytes and its shares. */
    final void discardLoopOutput() {
        loop.output().discard(this, null);
        firstShare = lastShare = -1;
    }

    /** The queue went below the low-water mark: the handler hears of it. */
    abstract void becameWritable();

    @Override
    public final void written(OutboundFrame frame) {
        // (if, not a switch on the kind: an enum switch costs the jar a class of its own)
        if (frame.kind == OutboundFrame.Kind.CLOSE) {
            set(CLOSE_WRITTEN, true);
            if (is(PEER_CLOSED) && !is(CLIENT)) {
                // RFC 6455 §7.1.1: the server closes the TCP connection first; a client waits for
                // that, or for the close timeout
                closeChannel();
            } else if (is(DISCARD_INPUT) && !is(CLIENT)) {
                // A failing server half-closes, so that input it leaves unread cannot reset its
                // Close; a client waits for the server to close TCP (§7.1.1), which a peer that
                // was half-closed first may never do (the Autobahn suite under Jython does not)
                shutdownOutput();
            }
        } else if (frame.kind == OutboundFrame.Kind.FINAL_RESPONSE) {
            shutdownOutput();
        }
    }

    /** Half-closes: the peer sees the end of our bytes and closes; unread input cannot reset them. */
    private void shutdownOutput() {
        try {
            transport.shutdownOutput(channel());
        } catch (IOException e) {
            closeChannel();
        }
    }
}

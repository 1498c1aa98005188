package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.Masking;

/**
 * The selector loop's one output buffer (direct, 64 KiB), through which every byte the loop
 * writes goes:
 * <ul>
 * <li>messages a handler sends from the loop's own thread are encoded straight into it, header
 *     and payload, and written with one write when the connection's turn is over ({@link #stage});
 * <li>a message larger than the buffer is written through it at once ({@link #writeThrough});
 * <li>a connection's queued frames are copied through it to the socket ({@link #lend}).
 * </ul>
 * So the common case (a handler answering the message it was given) allocates no frame and no
 * buffer, no connection holds an output buffer of its own, and the socket is handed one direct
 * buffer per write instead of a header and a payload per message.
 *
 * <p>One connection at a time owns the staged bytes; when another one sends, the owner's bytes are
 * written first. Whatever the socket does not take is copied to the owner's send queue, ahead of
 * everything queued after it, so the buffer is never held past the owner's turn. Messages staged in
 * one turn share one read-only completion stage, which completes once they are all written. Loop
 * thread only.
 */
final class LoopOutput {
    static final int SIZE = 64 * 1024;
    /** The stage of a message written at once: already complete, and immutable, so shared. */
    private static final CompletionStage<Void> WRITTEN = CompletableFuture.completedStage(null);
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
    private ConnectionFlusher owner;
    /** The stage of the owner's staged messages, read-only to their senders; made with the first of them. */
    private SharedCompletion ownerDone;
    /** The keys of the client frames staged here (see {@link MaskKeys}); made with the first one. */
    private SplittableRandom maskKeys;

    /**
     * Encodes a message for {@code connection} into the buffer.
     *
     * @return the stage of the message (read-only, shared by the messages staged in this turn,
     *         which go out in one write), or {@code null} if it does not fit; the caller then
     *         queues it
     */
    CompletionStage<Void> stage(ConnectionFlusher connection, int opcode, ByteBuffer payload) {
        int length = payload.remaining();
        boolean masked = connection.client();
        if (!claim(connection, FrameWriter.headerSize(length, masked) + length)) {
            return null;
        }
        int key = masked ? nextMaskKey() : 0;
        FrameWriter.writeHeader(buffer, true, false, opcode, length, masked, key);
        append(payload);
        Masking.mask(buffer, buffer.position() - length, buffer.position(), key); // (a key of 0 changes nothing)
        if (ownerDone == null) {
            ownerDone = new SharedCompletion();
        }
        return ownerDone;
    }

    private int nextMaskKey() {
        SplittableRandom keys = maskKeys;
        if (keys == null) {
            keys = MaskKeys.generator();
            maskKeys = keys;
        }
        return keys.nextInt();
    }

    /**
     * Writes a message too large for the buffer straight to the socket, after whatever was staged
     * before it: through the buffer a buffer's worth at a time, or, once the header is out, from
     * the payload itself if that is direct. Only what the socket does not take is copied, to the
     * connection's queue: a large message costs no copy of its own while the peer keeps up.
     *
     * @return the stage of the message, or {@code null} if the connection's earlier bytes did not
     *         all go out; the caller then queues it behind them
     */
    CompletionStage<Void> writeThrough(ConnectionFlusher connection, int opcode, ByteBuffer payload) throws IOException {
        writeOwner();
        if (!connection.hasNothingQueued()) {
            return null;
        }
        int length = payload.remaining();
        int copied = 0;
        FrameWriter.writeHeader(buffer, true, false, opcode, length);
        try {
            while (true) {
                int piece = Math.min(buffer.remaining(), length - copied);
                buffer.put(buffer.position(), payload, payload.position() + copied, piece).position(buffer.position() + piece);
                copied += piece;
                connection.writeDirect(buffer.flip());
                if (buffer.hasRemaining()) { // the socket is full
                    return requeue(connection, buffer, after(payload, copied));
                }
                buffer.clear();
                if (copied == length) {
                    return WRITTEN;
                }
                if (payload.isDirect()) {
                    // The header is out: the rest goes to the socket from where it lies, uncopied.
                    ByteBuffer unsent = after(payload, copied);
                    connection.writeDirect(unsent);
                    return unsent.hasRemaining() ? requeue(connection, NOTHING, unsent) : WRITTEN;
                }
            }
        } finally {
            buffer.clear();
        }
    }

    /** The bytes of {@code payload} after its first {@code count}, as a view. */
    private static ByteBuffer after(ByteBuffer payload, int count) {
        return payload.slice(payload.position() + count, payload.remaining() - count);
    }

    /** Copies what the socket did not take, {@code staged} then {@code unsent}, to the connection's queue. */
    private static CompletionStage<Void> requeue(ConnectionFlusher connection, ByteBuffer staged, ByteBuffer unsent) {
        ByteBuffer rest = ByteBuffer.allocate(staged.remaining() + unsent.remaining()).put(staged).put(unsent).flip();
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.requeueUnwritten(rest, done);
        return done;
    }

    /** Puts bytes that go out as they are (the 101 response) into the buffer; false if they must queue. */
    boolean stageRaw(ConnectionFlusher connection, ByteBuffer bytes) {
        if (!claim(connection, bytes.remaining())) {
            return false;
        }
        append(bytes);
        return true;
    }

    /**
     * Makes {@code connection} the owner, writing out the previous owner's bytes, and tells
     * whether {@code size} more bytes fit. A connection that fills the buffer queues the rest of
     * its turn's messages instead of writing in the middle of its handler's callback: the turn
     * still ends in one write, and the send queue's water marks and cap see what is piling up.
     */
    private boolean claim(ConnectionFlusher connection, int size) {
        if (owner != connection) {
            writeOwner();
            owner = connection;
        }
        return size <= buffer.remaining();
    }

    /** Copies the source's remaining bytes; its position does not move. */
    private void append(ByteBuffer source) {
        int length = source.remaining();
        buffer.put(buffer.position(), source, source.position(), length).position(buffer.position() + length);
    }

    /** How many bytes {@code connection} has staged in the buffer. */
    int stagedBy(ConnectionFlusher connection) {
        return owner == connection ? buffer.position() : 0;
    }

    /** The connection whose bytes the buffer holds, or null. */
    ConnectionFlusher owner() {
        return owner;
    }

    /** Writes the staged bytes of {@code connection}, if it has any. */
    void write(ConnectionFlusher connection) throws IOException {
        if (owner == connection) {
            writeOwner(connection);
        }
    }

    /**
     * The buffer itself, for a connection to write its queued frames through: whoever staged
     * bytes in it has them written first. The buffer is free again when the caller returns to the
     * loop.
     */
    ByteBuffer lend() {
        writeOwner();
        return buffer;
    }

    /** Drops the staged bytes of a connection that has ended: because of {@code why}, or closed if null. */
    void discard(ConnectionFlusher connection, IOException why) {
        if (owner == connection) {
            CompletableFuture<Void> done = release();
            if (done != null) {
                SharedCompletion.settle(done, why != null ? why : new ClosedChannelException());
            }
        }
    }

    private void writeOwner() {
        ConnectionFlusher previous = owner;
        if (previous == null) {
            return;
        }
        try {
            writeOwner(previous);
        } catch (IOException e) {
            previous.writeFailed(e); // ends that connection once this loop turn is over
        }
    }

    private void writeOwner(ConnectionFlusher connection) throws IOException {
        buffer.flip();
        try {
            connection.writeDirect(buffer);
        } catch (IOException e) {
            discard(connection, e);
            throw e;
        }
        CompletableFuture<Void> done = ownerDone;
        if (buffer.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            release();
            connection.requeueUnwritten(rest, done);
        } else {
            release();
            if (done != null) {
                SharedCompletion.settle(done, null);
            }
        }
    }

    private CompletableFuture<Void> release() {
        CompletableFuture<Void> done = ownerDone;
        owner = null;
        ownerDone = null;
        buffer.clear();
        return done;
    }
}

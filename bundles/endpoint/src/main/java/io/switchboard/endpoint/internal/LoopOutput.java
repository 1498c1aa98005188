package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.switchboard.codec.FrameWriter;

/**
 * The selector loop's output buffer: messages a handler sends from the loop's own thread are
 * encoded straight into it, header and payload, and written with one write when the connection's
 * turn is over. That is the common case (a handler answering the message it was given) and it
 * allocates nothing per message, holds no buffer per connection, and hands the socket one direct
 * buffer instead of a header and a payload per message.
 *
 * <p>One connection at a time owns the buffer; when another one sends, the owner's bytes are
 * written first. Whatever the socket does not take is copied to the owner's send queue, ahead of
 * everything queued after it, so no buffer stays claimed past the owner's turn.
 *
 * <p>Messages sent in one turn share one completion stage: it completes once they are all
 * written. Loop thread only.
 */
final class LoopOutput {
    private static final int SIZE = 64 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
    private WsConnection owner;
    /** The stage of the owner's staged messages; made with the first of them. */
    private CompletableFuture<Void> ownerDone;

    /**
     * Encodes a message for {@code connection} into the buffer.
     *
     * @return the stage of the message, or {@code null} if it does not fit even in the empty
     *         buffer; the caller then queues it
     */
    CompletableFuture<Void> stage(WsConnection connection, int opcode, ByteBuffer payload) {
        int length = payload.remaining();
        int size = FrameWriter.headerSize(length, false) + length;
        if (size > SIZE) {
            return null;
        }
        if (owner != connection || size > buffer.remaining()) {
            writeOwner();
            if (!connection.canStage()) {
                return null; // the earlier bytes did not all go out: this message must queue behind them
            }
            owner = connection;
        }
        FrameWriter.writeHeader(buffer, true, false, opcode, length);
        buffer.put(buffer.position(), payload, payload.position(), length).position(buffer.position() + length);
        if (ownerDone == null) {
            ownerDone = new CompletableFuture<>();
        }
        return ownerDone;
    }

    /** Writes the staged bytes of {@code connection}, if it has any. */
    void write(WsConnection connection) throws IOException {
        if (owner == connection) {
            writeOwner(connection);
        }
    }

    /** Drops the staged bytes of a connection that has ended. */
    void discard(WsConnection connection, IOException why) {
        if (owner == connection) {
            CompletableFuture<Void> done = release();
            done.completeExceptionally(why);
        }
    }

    private void writeOwner() {
        WsConnection previous = owner;
        if (previous == null) {
            return;
        }
        try {
            writeOwner(previous);
        } catch (IOException e) {
            previous.writeFailed(e); // ends that connection once this loop turn is over
        }
    }

    private void writeOwner(WsConnection connection) throws IOException {
        buffer.flip();
        try {
            connection.writeDirect(buffer);
        } catch (IOException e) {
            release().completeExceptionally(e);
            throw e;
        }
        CompletableFuture<Void> done = ownerDone;
        if (buffer.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            release();
            connection.requeueUnwritten(rest, done);
        } else {
            release();
            done.complete(null);
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

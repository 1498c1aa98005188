package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.switchboard.codec.Opcode;

/**
 * {@code Connection.sendPart}: a message sent as frames, one per part, from <b>any thread</b>.
 *
 * <p>No other message may go out between the frames of one (RFC 6455 §5.4). Two guards keep
 * them apart without costing whole messages a lock: a whole message sent while the connection's
 * {@code sendingParts} is set is refused ({@code IllegalStateException}); and since a whole
 * message sent from another thread can have looked just before the first part set it, every part
 * goes through the send queue, never the loop's output buffer, where {@link Outbound} holds back
 * any whole message it finds between the first and the last part and writes it after the last.
 * Broadcasts, which cannot be refused, wait there too. The parts themselves are queued under the
 * connection's monitor, so their frames are queued in the order the state changed.
 *
 * <p>Parts go uncompressed: permessage-deflate lets any message go without RSV1, and the
 * compressor's history is then left as it was.
 */
final class PartSends {
    private PartSends() {
    }

    /** Queues one part of {@code opcode}'s message; {@code payload} is the connection's own copy. */
    static CompletionStage<Void> send(ConnectionSends connection, int opcode, ByteBuffer payload, boolean last) {
        synchronized (connection) {
            int under = connection.sendingParts;
            if (under != 0 && under != opcode) {
                throw new IllegalStateException("a " + (under == Opcode.TEXT ? "text" : "binary") + " message is being sent in parts");
            }
            if (connection.closeQueued || connection.overCap || connection.state == ConnectionSends.State.CLOSED) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            connection.sendingParts = (byte) (last ? 0 : opcode);
            // A one-part message is a whole one; only a message of several holds others back.
            OutboundFrame.Kind kind = !last ? OutboundFrame.Kind.PART : under == 0 ? OutboundFrame.Kind.FRAME : OutboundFrame.Kind.LAST_PART;
            ByteBuffer header = MaskKeys.header(connection.client(), last, false, under == 0 ? opcode : Opcode.CONTINUATION, payload);
            CompletableFuture<Void> done = new CompletableFuture<>();
            connection.afterQueued(connection.addData(new OutboundFrame(kind, header, payload, done)));
            return done;
        }
    }
}

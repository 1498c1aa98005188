package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One unit of the send queue: a frame header and its payload, or raw HTTP bytes. */
final class OutboundFrame {
    enum Kind {
        /** A message or ping; the connection goes on. */
        FRAME,
        /** A frame of a message sent in parts, not its last: no other message may follow until the last. */
        PART,
        /** The last frame of a message sent in parts. */
        LAST_PART,
        /** The Close frame: nothing may follow it. */
        CLOSE,
        /** An HTTP response that ends the connection once written. */
        FINAL_RESPONSE,
        /** The head of an opening handshake (the 101, a client's request or CONNECT); frames follow. */
        UPGRADE_RESPONSE,
        /** The unwritten rest of messages the loop's output buffer began to write: whole frames and a part of one. */
        REST
    }

    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    final Kind kind;
    final ByteBuffer header;
    final ByteBuffer payload;
    final CompletableFuture<Void> done;
    final long size;
    /**
     * The link of whichever list of {@link Outbound} holds this frame: first the stack other
     * threads push onto, then the loop's write order. A frame is in at most one list at a time.
     */
    OutboundFrame next;

    OutboundFrame(Kind kind, ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        this.kind = kind;
        this.header = header;
        this.payload = payload == null ? NO_BYTES : payload;
        this.done = done;
        this.size = header.remaining() + this.payload.remaining();
    }

    boolean written() {
        return !header.hasRemaining() && !payload.hasRemaining();
    }

    boolean started() {
        return header.remaining() + payload.remaining() < size;
    }
}

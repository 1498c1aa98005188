package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;

/**
 * One message on its way to many connections, encoded at most once per form: the plain frame,
 * and the compressed frame that every connection compressing without context takeover at the
 * same level can share (RFC 7692 §7.1.1.1: such a message is compressed on its own, so its bytes
 * are the same for all of them). A connection compressing with context takeover compresses the
 * payload itself. No connection gets a copy: one on the sending thread's own loop notes the
 * shared frame in its loop's {@link LoopShares}, any other queues a read-only view of it.
 *
 * <p>Made and used by the one thread that sends it, inside one broadcast call; the loops that
 * write the frames only read the bytes, which the send queue's handover publishes to them.
 */
public final class SharedMessage {
    final int opcode;
    /** The message's bytes: the sender's copy, never changed. */
    private final ByteBuffer payload;
    /** Header and payload in one buffer, made on first use. */
    private ByteBuffer plain;
    /** Header and compressed payload, made on first use, and the level it was compressed at. */
    private ByteBuffer compressed;
    private int compressedLevel;
    private int compressions;

    private SharedMessage(int opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload;
    }

    /** @throws IllegalArgumentException if the text contains an unpaired surrogate */
    public static SharedMessage text(String text) {
        return new SharedMessage(Opcode.TEXT, ByteBuffer.wrap(Text.encode(text)).asReadOnlyBuffer());
    }

    /** Copies the buffer's remaining bytes once; its position does not move. */
    public static SharedMessage binary(ByteBuffer data) {
        return new SharedMessage(Opcode.BINARY, ConnectionSends.copy(data).asReadOnlyBuffer());
    }

    int length() {
        return payload.remaining();
    }

    /** The payload, for a connection that compresses it itself. */
    ByteBuffer payload() {
        return payload.duplicate();
    }

    /** The plain frame, header and payload; read-only, and no reader may move its position. */
    ByteBuffer plainFrame() {
        if (plain == null) {
            plain = encode(false, payload.duplicate());
        }
        return plain;
    }

    /** The frame compressed without context takeover at {@code level}; as {@link #plainFrame()}. */
    ByteBuffer compressedFrame(int level) {
        if (compressed == null || compressedLevel != level) {
            MessageDeflater deflater = new MessageDeflater(true, level);
            try {
                compressed = encode(true, deflater.deflate(payload.duplicate()));
                compressedLevel = level;
                compressions++;
            } finally {
                deflater.release();
            }
        }
        return compressed;
    }

    /** How many times the shared compressed form was made; tests check that a broadcast makes it once. */
    int compressions() {
        return compressions;
    }

    private ByteBuffer encode(boolean rsv1, ByteBuffer body) {
        int length = body.remaining();
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(length, false) + length);
        FrameWriter.writeHeader(frame, true, rsv1, opcode, length);
        return frame.put(body).flip().asReadOnlyBuffer();
    }
}

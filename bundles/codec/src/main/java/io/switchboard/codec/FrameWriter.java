package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes frame headers (RFC 6455 §5.2) and, for clients, masked payloads.
 *
 * <p>A server's payload needs no transformation, so the intended use is a gathering write of a
 * header written here and the caller's payload buffer untouched. Lengths always use the shortest
 * encoding, as RFC 6455 requires.
 */
public final class FrameWriter {
    /** The largest header: two bytes, an eight-byte length and a four-byte mask. */
    public static final int MAX_HEADER_SIZE = 14;

    private FrameWriter() {
    }

    /** The size of the header for a payload of {@code length} bytes. */
    public static int headerSize(long length, boolean masked) {
        int size = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /** Writes an unmasked (server) header at {@code out}'s position. */
    public static void writeHeader(ByteBuffer out, boolean fin, boolean rsv1, int opcode, long length) {
        writeHeader(out, fin, rsv1, opcode, length, false, 0);
    }

    /**
     * Writes a header at {@code out}'s position and advances it.
     *
     * @param masked  whether the frame is masked (every client frame is)
     * @param maskKey the masking key as a big-endian {@code int}; see {@link Masking}
     */
    public static void writeHeader(ByteBuffer out, boolean fin, boolean rsv1, int opcode, long length,
                                   boolean masked, int maskKey) {
        if (length < 0) {
            throw new IllegalArgumentException("negative payload length " + length);
        }
        if (Opcode.isControl(opcode) && (length > 125 || !fin)) {
            throw new IllegalArgumentException("control frames must be final and carry at most 125 bytes");
        }
        out.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            out.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            out.put((byte) (maskBit | 126));
            out.put((byte) (length >>> 8));
            out.put((byte) length);
        } else {
            out.put((byte) (maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.put((byte) (length >>> shift));
            }
        }
        if (masked) {
            out.putInt(out.order() == ByteOrder.BIG_ENDIAN ? maskKey : Integer.reverseBytes(maskKey));
        }
    }

    /**
     * Writes a whole frame, header and payload, at {@code out}'s position; masks the copied payload
     * when {@code masked}. {@code payload} is consumed.
     */
    public static void writeFrame(ByteBuffer out, boolean fin, boolean rsv1, int opcode, ByteBuffer payload,
                                  boolean masked, int maskKey) {
        writeHeader(out, fin, rsv1, opcode, payload.remaining(), masked, maskKey);
        int from = out.position();
        out.put(payload);
        if (masked) {
            Masking.mask(out, from, out.position(), maskKey);
        }
    }
}

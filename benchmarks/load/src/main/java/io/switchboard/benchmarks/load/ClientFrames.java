package io.switchboard.benchmarks.load;

import java.nio.ByteBuffer;

/** Encodes client-to-server frames (RFC 6455 §5.2): always masked, as a client must. */
final class ClientFrames {
    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;

    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int MASKED = 0x80;

    private ClientFrames() {
    }

    /** The size of a masked frame's header for a payload of {@code length} bytes. */
    static int headerLength(long length) {
        return (length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10) + 4;
    }

    /** Writes one final frame carrying {@code payload}, masked with {@code maskKey}, at {@code out}'s position. */
    static void encode(ByteBuffer out, int opcode, boolean rsv1, int maskKey, byte[] payload, int offset, int length) {
        out.put((byte) (FIN | (rsv1 ? RSV1 : 0) | opcode));
        if (length <= 125) {
            out.put((byte) (MASKED | length));
        } else if (length <= 0xFFFF) {
            out.put((byte) (MASKED | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (MASKED | 127));
            out.putLong(length);
        }
        out.putInt(maskKey);
        for (int i = 0; i < length; i++) {
            out.put((byte) (payload[offset + i] ^ maskByte(maskKey, i)));
        }
    }

    /** One final frame as a fresh array; for control frames and tests. */
    static byte[] frame(int opcode, boolean rsv1, int maskKey, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(headerLength(payload.length) + payload.length);
        encode(out, opcode, rsv1, maskKey, payload, 0, payload.length);
        return out.array();
    }

    /**
     * The frames, all of one length, back to back and then once more, in one read-only direct
     * buffer: sending k consecutive messages from any slot on is one write of k frames, and nothing
     * is encoded or masked per message.
     */
    static ByteBuffer ringTwice(byte[][] frames) {
        ByteBuffer ring = ByteBuffer.allocateDirect(2 * frames.length * frames[0].length);
        for (int copy = 0; copy < 2; copy++) {
            for (byte[] frame : frames) {
                ring.put(frame);
            }
        }
        return ring.flip().asReadOnlyBuffer();
    }

    /** The mask byte applied to payload byte {@code index} (the key is used big-endian, cycling). */
    static byte maskByte(int maskKey, long index) {
        return (byte) (maskKey >>> (24 - 8 * (int) (index & 3)));
    }
}

package io.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 frames as a client writes them, built byte by byte and refusing nothing: any flags,
 * any opcode, control frames over 125 bytes, lengths no payload follows. The server under test
 * is the one that must refuse; a builder that checked the rules could not test that it does.
 *
 * <p>A frame's first byte is {@code flags | opcode}, e.g. {@code FIN | TEXT}; lengths are
 * written in the shortest form, as RFC 6455 §5.2 asks (a test that wants another form writes
 * the bytes itself).
 */
public final class Frames {
    public static final int FIN = 0x80;
    public static final int RSV1 = 0x40;
    public static final int RSV2 = 0x20;
    public static final int RSV3 = 0x10;

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Frames() {
    }

    /** The first byte of a frame: FIN if {@code fin}, no reserved bit, the opcode. */
    public static int first(boolean fin, int opcode) {
        return (fin ? FIN : 0) | opcode;
    }

    /** A masked frame: header, the 4-byte key, and the payload masked with it. */
    public static byte[] masked(int first, byte[] payload, int maskKey) {
        byte[] header = maskedHeader(first, payload.length, maskKey);
        byte[] frame = new byte[header.length + payload.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        int keyAt = header.length - 4;
        for (int i = 0; i < payload.length; i++) {
            frame[header.length + i] = (byte) (payload[i] ^ header[keyAt + (i & 3)]);
        }
        return frame;
    }

    /** An unmasked frame, as a server writes it (from a client it is a protocol error). */
    public static byte[] unmasked(int first, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(headerSize(payload.length, false) + payload.length);
        putLength(frame.put((byte) first), 0, payload.length);
        return frame.put(payload).array();
    }

    /** Only the header of a masked frame announcing {@code length} payload bytes (any length up to 2^63 - 1). */
    public static byte[] maskedHeader(int first, long length, int maskKey) {
        ByteBuffer header = ByteBuffer.allocate(headerSize(length, true));
        putLength(header.put((byte) first), 0x80, length);
        return header.putInt(maskKey).array();
    }

    /** Header bytes of a frame with this payload length: 2, 4 or 10, plus 4 for a mask key. */
    public static int headerSize(long length, boolean masked) {
        int size = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    private static void putLength(ByteBuffer header, int maskBit, long length) {
        if (length <= 125) {
            header.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            header.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            header.put((byte) (maskBit | 127)).putLong(length);
        }
    }

    /** A Close payload: the code in two bytes, then the reason in UTF-8. */
    public static byte[] closePayload(int code, String reason) {
        byte[] text = utf8(reason);
        return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts one after the other, to send several frames (or a head and frames) in one write. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** The opcode's name for messages: "text", "close", or "opcode 3" for a reserved one. */
    static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "opcode " + opcode;
        };
    }
}

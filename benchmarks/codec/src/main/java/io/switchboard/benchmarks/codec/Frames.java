package io.switchboard.benchmarks.codec;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.Opcode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The payloads and frames both sides are given: the same bytes for Switchboard and Netty.
 *
 * <p>Sizes: 16 (tiny), 125 (the largest 7-bit length), 4096 (16-bit length) and 65536 (the
 * smallest size that needs the 64-bit length).
 */
final class Frames {
    /** A fixed, non-zero masking key, so that runs are repeatable. */
    static final int MASK_KEY = 0x37FA213D;

    /** Non-ASCII characters of 2, 3 and 4 bytes in UTF-8: é, €, 😀. */
    private static final String[] NON_ASCII = {"\u00E9", "\u20AC", "\uD83D\uDE00"};
    private static final String ASCII =
            "The quick brown fox jumps over the lazy dog 0123456789 {\"key\": [1, 2, 3]} ";

    private Frames() {
    }

    /**
     * Valid UTF-8 text of exactly {@code size} bytes: ASCII, except that every 20th character
     * (5 %) is a 2-, 3- or 4-byte character in turn; where one would not fit at the end, ASCII.
     */
    static byte[] text(int size) {
        byte[] out = new byte[size];
        int at = 0;
        int character = 0;
        int nonAscii = 0;
        while (at < size) {
            byte[] next;
            if (character % 20 == 10) {
                next = NON_ASCII[nonAscii % NON_ASCII.length].getBytes(StandardCharsets.UTF_8);
                if (at + next.length > size) {
                    next = new byte[] {(byte) ASCII.charAt(character % ASCII.length())};
                } else {
                    nonAscii++;
                }
            } else {
                next = new byte[] {(byte) ASCII.charAt(character % ASCII.length())};
            }
            System.arraycopy(next, 0, out, at, next.length);
            at += next.length;
            character++;
        }
        if (!Arrays.equals(out, new String(out, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))) {
            throw new AssertionError("generated text is not valid UTF-8");
        }
        return out;
    }

    /** Pseudo-random bytes of {@code size}, the same on every run. */
    static byte[] binary(int size) {
        byte[] out = new byte[size];
        new SplittableRandom(6455).nextBytes(out);
        return out;
    }

    /** A whole, final, masked frame as a client sends it, written with Switchboard's FrameWriter. */
    static byte[] maskedClientFrame(int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(payload.length, true) + payload.length);
        FrameWriter.writeFrame(frame, true, false, opcode, ByteBuffer.wrap(payload), true, MASK_KEY);
        if (frame.hasRemaining()) {
            throw new AssertionError("frame size miscounted");
        }
        return frame.array();
    }

    static byte[] maskedTextFrame(int size) {
        return maskedClientFrame(Opcode.TEXT, text(size));
    }

    static byte[] maskedBinaryFrame(int size) {
        return maskedClientFrame(Opcode.BINARY, binary(size));
    }

    /** The share of characters that are not ASCII, for the record. */
    static double nonAsciiShare(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8);
        long nonAscii = s.codePoints().filter(c -> c >= 0x80).count();
        return (double) nonAscii / s.codePointCount(0, s.length());
    }
}

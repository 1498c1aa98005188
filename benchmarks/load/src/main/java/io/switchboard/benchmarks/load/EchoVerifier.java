package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks that one echoed message equals what was sent. Uncompressed messages are compared byte by
 * byte as they arrive, unmasking the frames a raw TCP echo returns masked. A compressed message
 * (RSV1) is collected and inflated at its end (RFC 7692 §7.2.2: append 00 00 FF FF).
 */
final class EchoVerifier {
    private final byte[] expected;
    private boolean compressed;
    private byte[] collected;
    private int collectedLength;

    EchoVerifier(byte[] expected) {
        this.expected = expected;
    }

    void begin(boolean compressed) {
        this.compressed = compressed;
        this.collectedLength = 0;
    }

    /** Bytes {@code in[from, from + length)} at {@code messageOffset} in the message and {@code frameOffset} in the frame. */
    void payload(ByteBuffer in, int from, int length, long messageOffset, boolean masked, int maskKey, long frameOffset)
            throws ProtocolException {
        if (compressed) {
            collect(in, from, length, masked, maskKey, frameOffset);
            return;
        }
        if (messageOffset + length > expected.length) {
            throw new ProtocolException("echo mismatch: the echo is longer than the " + expected.length + "-byte message");
        }
        for (int i = 0; i < length; i++) {
            byte actual = unmask(in.get(from + i), masked, maskKey, frameOffset + i);
            if (actual != expected[(int) messageOffset + i]) {
                throw new ProtocolException("echo mismatch at byte " + (messageOffset + i) + " of the message");
            }
        }
    }

    void end(long messageLength) throws ProtocolException {
        if (compressed) {
            inflateAndCompare();
        } else if (messageLength != expected.length) {
            throw new ProtocolException("echo mismatch: " + messageLength + " bytes echoed, " + expected.length + " sent");
        }
    }

    private void collect(ByteBuffer in, int from, int length, boolean masked, int maskKey, long frameOffset) {
        if (collected == null || collectedLength + length > collected.length) {
            int size = Math.max(collectedLength + length, collected == null ? 256 : collected.length * 2);
            collected = collected == null ? new byte[size] : Arrays.copyOf(collected, size);
        }
        for (int i = 0; i < length; i++) {
            collected[collectedLength++] = unmask(in.get(from + i), masked, maskKey, frameOffset + i);
        }
    }

    private void inflateAndCompare() throws ProtocolException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(collected, collectedLength + 4);
            System.arraycopy(Payloads.deflateTail(), 0, input, collectedLength, 4);
            inflater.setInput(input);
            byte[] output = new byte[expected.length + 1];
            int total = 0;
            while (total < output.length && !inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(output, total, output.length - total);
                if (n == 0 && (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished())) {
                    break;
                }
                total += n;
            }
            if (total != expected.length || !Arrays.equals(output, 0, total, expected, 0, expected.length)) {
                throw new ProtocolException("echo mismatch: the inflated echo (" + total + " bytes) differs from the "
                        + expected.length + "-byte message");
            }
        } catch (DataFormatException e) {
            throw new ProtocolException("echo mismatch: the compressed echo does not inflate: " + e.getMessage());
        } finally {
            inflater.end();
        }
        collected = null;
    }

    private static byte unmask(byte b, boolean masked, int maskKey, long index) {
        return masked ? (byte) (b ^ ClientFrames.maskByte(maskKey, index)) : b;
    }
}

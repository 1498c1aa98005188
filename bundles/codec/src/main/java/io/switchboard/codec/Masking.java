package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The XOR masking of RFC 6455 §5.3, applied in place.
 *
 * <p>The key is the four masking bytes read as a big-endian {@code int}: byte {@code i} of a
 * payload is XORed with key byte {@code i % 4}. A payload that arrives in several pieces is
 * unmasked piece by piece: each call returns the key rotated so that the next piece starts at the
 * right key byte.
 */
public final class Masking {
    private Masking() {
    }

    /**
     * XORs bytes {@code [from, to)} of {@code buffer} with {@code key}, eight bytes at a time,
     * without moving its position.
     *
     * @return the key to use for the byte at {@code to}
     */
    public static int mask(ByteBuffer buffer, int from, int to, int key) {
        if (key == 0) {
            return 0;
        }
        int i = from;
        if (to - from >= Long.BYTES) {
            long wide = (key & 0xFFFF_FFFFL) << 32 | (key & 0xFFFF_FFFFL);
            if (buffer.order() == ByteOrder.LITTLE_ENDIAN) {
                wide = Long.reverseBytes(wide);
            }
            for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
                buffer.putLong(i, buffer.getLong(i) ^ wide);
            }
        }
        int rotated = key;
        for (; i < to; i++) {
            buffer.put(i, (byte) (buffer.get(i) ^ (rotated >>> 24)));
            rotated = Integer.rotateLeft(rotated, 8);
        }
        return rotated;
    }
}

package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * The XOR masking of RFC 6455 §5.3, applied in place.
 *
 * <p>The key is the four masking bytes read as a big-endian {@code int}: byte {@code i} of a
 * payload is XORed with key byte {@code i % 4}. A payload that arrives in several pieces is
 * unmasked piece by piece: each call returns the key rotated so that the next piece starts at the
 * right key byte.
 */
public final class Masking {
    /**
     * From this many bytes on, a direct buffer is masked through a long view in native order: the
     * JIT compiles that loop to vector instructions, several times faster than a long at a time
     * through the byte buffer. Making the view allocates, which a large piece pays for easily.
     */
    private static final int LONG_VIEW_THRESHOLD = 4096;

    private Masking() {
    }

    /** Masks the whole longs of {@code [from, to)} of a direct buffer; returns where they end. */
    private static int maskLongView(ByteBuffer buffer, int from, int to, int key) {
        long wide = (key & 0xFFFF_FFFFL) << 32 | (key & 0xFFFF_FFFFL);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            wide = Long.reverseBytes(wide);
        }
        int longs = (to - from) / Long.BYTES;
        LongBuffer view = buffer.slice(from, longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        for (int i = 0; i < longs; i++) {
            view.put(i, view.get(i) ^ wide);
        }
        return from + longs * Long.BYTES;
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
        if (to - from >= LONG_VIEW_THRESHOLD && buffer.isDirect()) {
            i = maskLongView(buffer, from, to, key);
        } else if (to - from >= Long.BYTES) {
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

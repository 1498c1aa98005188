package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Word-at-a-time masking against a byte-by-byte reference, over thousands of random cases. */
class MaskingTest {
    private static final long SEED = Long.getLong("switchboard.seed", System.nanoTime());

    /** RFC 6455 §5.3: octet i of the payload is XORed with octet i MOD 4 of the key. */
    private static byte[] referenceMask(byte[] data, int offset, int key) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            int keyByte = (key >>> (24 - 8 * ((offset + i) % 4))) & 0xFF;
            out[i] = (byte) (out[i] ^ keyByte);
        }
        return out;
    }

    @Test
    void matchesTheByteByByteReferenceForRandomLengthsOffsetsAndKeys() {
        System.out.println("MaskingTest seed " + SEED + " (rerun with -Dswitchboard.seed=" + SEED + ")");
        Random random = new Random(SEED);
        for (int round = 0; round < 5000; round++) {
            // mostly short pieces; one in ten long enough for the long view of direct buffers
            byte[] data = new byte[random.nextInt(round % 10 == 0 ? 20_000 : 300)];
            random.nextBytes(data);
            int key = random.nextInt();
            int slack = random.nextInt(9);
            boolean direct = random.nextBoolean();
            ByteOrder order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer buffer = (direct ? ByteBuffer.allocateDirect(data.length + slack) : ByteBuffer.allocate(data.length + slack)).order(order);
            buffer.position(slack);
            buffer.put(data);
            Masking.mask(buffer, slack, slack + data.length, key);
            byte[] masked = new byte[data.length];
            buffer.get(slack, masked);
            assertArrayEquals(referenceMask(data, 0, key), masked, "round " + round + ", seed " + SEED);
        }
    }

    @Test
    void aPayloadMaskedInPiecesMatchesOneMaskedWhole() {
        Random random = new Random(SEED);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[1 + random.nextInt(200)];
            random.nextBytes(data);
            int key = random.nextInt();
            ByteBuffer buffer = ByteBuffer.wrap(data.clone());
            int rotated = key;
            for (int from = 0; from < data.length; ) {
                int to = Math.min(data.length, from + 1 + random.nextInt(17));
                rotated = Masking.mask(buffer, from, to, rotated);
                from = to;
            }
            assertArrayEquals(referenceMask(data, 0, key), buffer.array(), "round " + round + ", seed " + SEED);
        }
    }

    @Test
    void returnsTheKeyRotatedByTheNumberOfBytesMasked() {
        int key = 0x11223344;
        assertEquals(0x11223344, Masking.mask(ByteBuffer.allocate(16), 0, 16, key));
        assertEquals(0x22334411, Masking.mask(ByteBuffer.allocate(16), 0, 9, key));
        assertEquals(0x44112233, Masking.mask(ByteBuffer.allocate(16), 0, 3, key));
    }

    @Test
    void touchesNothingOutsideTheRange() {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        Masking.mask(buffer, 4, 28, 0xFFFFFFFF);
        for (int i = 0; i < 32; i++) {
            assertEquals(i >= 4 && i < 28 ? (byte) 0xFF : 0, buffer.get(i), "byte " + i);
        }
    }
}

package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.Masking;

/**
 * The masking keys of client frames (RFC 6455 §5.3: fresh and unpredictable for every frame).
 * Each thread that sends draws from a generator of its own, seeded from {@link SecureRandom}: a
 * key per frame from {@code SecureRandom} itself would cost a lock and far more time per message,
 * while the seed keeps the sequence unguessable from outside the process. A selector loop keeps
 * its generator in its {@link LoopOutput}, which spares the messages it stages the thread-local
 * lookup. Any thread.
 */
final class MaskKeys {
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final ThreadLocal<SplittableRandom> KEYS = ThreadLocal.withInitial(MaskKeys::generator);

    private MaskKeys() {
    }

    /** A new generator of keys, for one thread. */
    static SplittableRandom generator() {
        return new SplittableRandom(SEEDS.nextLong());
    }

    static int next() {
        return KEYS.get().nextInt();
    }

    /**
     * The header of a final frame of {@code payload}; {@code masked}, with a fresh key, which masks
     * the payload's remaining bytes in place (so it must be the caller's own copy).
     */
    static ByteBuffer header(boolean masked, boolean rsv1, int opcode, ByteBuffer payload) {
        return header(masked, true, rsv1, opcode, payload);
    }

    /** As above, for a final frame or ({@code fin} false) one more to follow. */
    static ByteBuffer header(boolean masked, boolean fin, boolean rsv1, int opcode, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer header = ByteBuffer.allocate(FrameWriter.headerSize(length, masked));
        int key = masked ? next() : 0;
        FrameWriter.writeHeader(header, fin, rsv1, opcode, length, masked, key);
        Masking.mask(payload, payload.position(), payload.limit(), key); // (a key of 0 changes nothing)
        return header.flip();
    }
}

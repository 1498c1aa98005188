package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The broadcast frames due to this loop's connections in the current turn, kept by the loop
 * rather than queued per connection: a connection with nothing else to send notes only where its
 * frames are here, as two indices of its own, and its flush at the end of the turn writes them.
 * So a broadcast sent on the loop allocates nothing per connection and stores no reference into
 * connection objects, which live long: the garbage collector would have to scan a card for every
 * such store, thousands per message. A connection that cannot write them all moves the rest to
 * its send queue before the turn ends, when the loop forgets them all ({@link #clear}).
 *
 * <p>Each connection's frames form a chain through {@link #next}. <b>Loop thread only.</b>
 */
final class LoopShares {
    private static final int INITIAL_CAPACITY = 256;
    /** Past this, a turn's arrays are let go again rather than kept for the loop's life. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    /** The shared frames, header and payload each, read-only; each one's position never moves. */
    private ByteBuffer[] frames = new ByteBuffer[INITIAL_CAPACITY];
    private int[] next = new int[INITIAL_CAPACITY];
    private int count;

    /**
     * Adds a frame to the chain that ends at {@code last}, or starts a chain if {@code last} is
     * -1; returns the frame's index, the chain's new end.
     */
    int add(ByteBuffer frame, int last) {
        if (count == frames.length) {
            frames = Arrays.copyOf(frames, count * 2);
            next = Arrays.copyOf(next, count * 2);
        }
        frames[count] = frame;
        next[count] = -1;
        if (last >= 0) {
            next[last] = count;
        }
        return count++;
    }

    ByteBuffer frame(int index) {
        return frames[index];
    }

    /** The index of the frame after {@code index} in its chain; -1 at the end. */
    int next(int index) {
        return next[index];
    }

    /** Forgets this turn's frames; every connection has written or queued its own by now. */
    void clear() {
        if (frames.length > KEPT_CAPACITY) {
            frames = new ByteBuffer[INITIAL_CAPACITY];
            next = new int[INITIAL_CAPACITY];
        } else {
            Arrays.fill(frames, 0, count, null);
        }
        count = 0;
    }
}

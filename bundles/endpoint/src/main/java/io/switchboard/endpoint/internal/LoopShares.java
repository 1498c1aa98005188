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
 * <p>Each frame is also copied, once, into the loop's arena, a direct buffer, in the order the
 * frames come; a broadcast adds its frame for every member in turn, so consecutive additions of
 * the same frame share one copy. A member's frames of the turn are then, most often, one stretch
 * of the arena ({@link #run}), which goes to its socket in one write without a copy of its own:
 * at 10,000 members that is 10,000 copies of each message saved.
 *
 * <p>Each connection's frames form a chain through {@link #next}. <b>Loop thread only.</b>
 */
final class LoopShares {
    private static final int INITIAL_CAPACITY = 256;
    /** Past this, a turn's arrays are let go again rather than kept for the loop's life. */
    private static final int KEPT_CAPACITY = 64 * 1024;
    private static final int ARENA_SIZE = 64 * 1024;

    /** The shared frames, header and payload each, read-only; each one's position never moves. */
    private ByteBuffer[] frames = new ByteBuffer[INITIAL_CAPACITY];
    private int[] next = new int[INITIAL_CAPACITY];
    /** Where each frame's copy starts in the arena; -1 for a frame that did not fit. */
    private int[] arenaOffset = new int[INITIAL_CAPACITY];
    private int count;
    /** Made with the first frame: a loop that never broadcasts keeps none. */
    private ByteBuffer arena;
    private int arenaUsed;
    /** The frame added last and where its copy is, for the next member of the same broadcast. */
    private ByteBuffer lastFrame;
    private int lastOffset;

    /**
     * Adds a frame to the chain that ends at {@code last}, or starts a chain if {@code last} is
     * -1; returns the frame's index, the chain's new end.
     */
    int add(ByteBuffer frame, int last) {
        if (count == frames.length) {
            frames = Arrays.copyOf(frames, count * 2);
            next = Arrays.copyOf(next, count * 2);
            arenaOffset = Arrays.copyOf(arenaOffset, count * 2);
        }
        frames[count] = frame;
        next[count] = -1;
        arenaOffset[count] = copied(frame);
        if (last >= 0) {
            next[last] = count;
        }
        return count++;
    }

    ByteBuffer frame(int index) {
        return frames[index];
    }

    /** Where the frame's copy is in the arena, copying it there unless it was the frame added last; -1 if it does not fit. */
    private int copied(ByteBuffer frame) {
        if (frame != lastFrame) {
            lastFrame = frame;
            lastOffset = -1;
            if (arena == null) {
                arena = ByteBuffer.allocateDirect(ARENA_SIZE);
            }
            int length = frame.remaining();
            if (length <= ARENA_SIZE - arenaUsed) {
                arena.limit(ARENA_SIZE).put(arenaUsed, frame, frame.position(), length); // (a run may have narrowed it)
                lastOffset = arenaUsed;
                arenaUsed += length;
            }
        }
        return lastOffset;
    }

    /**
     * The arena's bytes of the chain that starts at {@code first}, when they lie there in one
     * stretch, each frame right after the one before: the arena itself, positioned over them
     * (valid until the next call); null otherwise.
     */
    ByteBuffer run(int first) {
        int start = arenaOffset[first];
        int end = start;
        for (int share = first; share >= 0; share = next[share]) {
            if (arenaOffset[share] != end || end < 0) {
                return null;
            }
            end += frames[share].remaining();
        }
        return arena.limit(end).position(start);
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
            arenaOffset = new int[INITIAL_CAPACITY];
        } else {
            Arrays.fill(frames, 0, count, null);
        }
        count = 0;
        arenaUsed = 0;
        lastFrame = null;
    }
}

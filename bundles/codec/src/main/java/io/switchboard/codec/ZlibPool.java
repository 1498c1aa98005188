package io.switchboard.codec;

import java.util.ArrayDeque;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Deflaters and inflaters lent for one message at a time to connections that keep no
 * compression context between messages, so that such a connection holds no zlib state (about
 * 300 KiB native for a deflater) while it is idle. A connection with context takeover keeps its
 * own: its history is the point.
 *
 * <p>Thread-safe, by one short lock around the idle lists: a message may be compressed on
 * whichever thread sends it, not only on the loop that owns the pool. At most {@code capacity}
 * of each kind wait idle; one given back to a full or closed pool is ended at once.
 */
public final class ZlibPool {
    private final int level;
    private final int capacity;
    private final ArrayDeque<Deflater> deflaters = new ArrayDeque<>();
    private final ArrayDeque<Inflater> inflaters = new ArrayDeque<>();
    private boolean closed;

    /**
     * @param level    the {@link Deflater} level of the deflaters lent, -1 (zlib's default) to 9
     * @param capacity how many of each kind may wait idle
     */
    public ZlibPool(int level, int capacity) {
        if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be -1 to 9, was " + level);
        }
        this.level = level;
        this.capacity = capacity;
    }

    public int level() {
        return level;
    }

    Deflater takeDeflater() {
        Deflater deflater;
        synchronized (this) {
            deflater = deflaters.pollLast();
        }
        return deflater != null ? deflater : new Deflater(level, true);
    }

    void give(Deflater deflater) {
        deflater.reset();
        synchronized (this) {
            if (!closed && deflaters.size() < capacity) {
                deflaters.addLast(deflater);
                return;
            }
        }
        deflater.end();
    }

    Inflater takeInflater() {
        Inflater inflater;
        synchronized (this) {
            inflater = inflaters.pollLast();
        }
        return inflater != null ? inflater : new Inflater(true);
    }

    void give(Inflater inflater) {
        inflater.reset();
        synchronized (this) {
            if (!closed && inflaters.size() < capacity) {
                inflaters.addLast(inflater);
                return;
            }
        }
        inflater.end();
    }

    /** How many deflaters and inflaters wait idle, together. */
    public synchronized int idle() {
        return deflaters.size() + inflaters.size();
    }

    /** Ends every idle deflater and inflater, and each one given back from now on. */
    public synchronized void close() {
        closed = true;
        deflaters.forEach(Deflater::end);
        deflaters.clear();
        inflaters.forEach(Inflater::end);
        inflaters.clear();
    }
}

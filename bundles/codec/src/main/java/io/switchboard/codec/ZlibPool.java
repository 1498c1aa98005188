package io.switchboard.codec;

import java.util.ArrayDeque;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Deflaters and inflaters lent for one message at a time to connections that keep no
 * compression context between messages, so that such a connection holds no zlib state (about
 * 260 KiB native for a deflater, 40 KiB for an inflater) between messages. A connection with
 * context takeover keeps its own: its history is the point.
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
        this.level = level;
        this.capacity = capacity;
    }

    public int level() {
        return level;
    }

    Deflater takeDeflater() {
        Deflater deflater = poll(deflaters);
        return deflater != null ? deflater : new Deflater(level, true);
    }

    Inflater takeInflater() {
        Inflater inflater = poll(inflaters);
        return inflater != null ? inflater : new Inflater(true);
    }

    void give(Deflater deflater) {
        deflater.reset();
        if (!keep(deflaters, deflater)) {
            deflater.end();
        }
    }

    void give(Inflater inflater) {
        inflater.reset();
        if (!keep(inflaters, inflater)) {
            inflater.end();
        }
    }

    /** How many deflaters and inflaters wait idle, together. */
    public synchronized int idle() {
        return deflaters.size() + inflaters.size();
    }

    /** Ends every idle deflater and inflater, and each one given back from now on. */
    public synchronized void close() {
        closed = true;
        while (!deflaters.isEmpty()) {
            deflaters.poll().end();
        }
        while (!inflaters.isEmpty()) {
            inflaters.poll().end();
        }
    }

    private synchronized <T> T poll(ArrayDeque<T> idle) {
        return idle.pollLast();
    }

    private synchronized <T> boolean keep(ArrayDeque<T> idle, T given) {
        if (closed || idle.size() >= capacity) {
            return false;
        }
        idle.addLast(given);
        return true;
    }
}

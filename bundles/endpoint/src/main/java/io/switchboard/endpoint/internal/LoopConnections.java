package io.switchboard.endpoint.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connections of one selector loop, and the walks over all of them that must not hold the
 * loop up: the passes of a hot swap and the timer sweep, each done a slice per turn with the
 * loop's I/O in between. Ten thousand connections take milliseconds to walk (a cache miss or
 * more each); done at once, that is a pause for every connection with input meanwhile.
 *
 * <p>The connections are kept in an array, each knowing its slot, rather than read from the
 * selector's key set: the sweep walks the array by index across turns, where an iterator over the
 * key set could not outlive a select, and a copy of it would cost a pass over a hash table each
 * time. <b>Loop thread only.</b>
 */
final class LoopConnections {
    private static final System.Logger LOG = System.getLogger(LoopConnections.class.getName());
    /**
     * A pass does a slice of connections per turn: a removal's pass at least this many, and enough
     * to end within {@link #PASS_TURNS} turns, since the removal waits for it within the detach
     * timeout and must not be drawn out by a busy loop; past that (and from the first for any other
     * pass, or the sweep), more while the slice has taken less than {@link #SLICE_NANOS}, so that a
     * pass with little to do on each connection (most of them are on other routes) ends at once.
     */
    private static final int PASS_SLICE = 256;
    private static final int PASS_TURNS = 16;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private WsConnection[] slots = new WsConnection[16];
    private int count;
    /** The sweep under way checks the slots below this one, from the top down; 0 when none is. */
    private int sweepBelow;
    /** The rest of each pass under way, for the next turn. */
    private List<Runnable> nextTurn = new ArrayList<>();
    /**
     * The actions of the passes under way. A connection with input gets each before it is read,
     * whether or not its pass has come to it: input never waits for a pass, nor goes to a handler
     * a pass is taking away.
     */
    private final List<Consumer<WsConnection>> passesUnderWay = new ArrayList<>();

    /** A connection was registered with the loop's selector. */
    void add(WsConnection connection) {
        if (count == slots.length) {
            slots = Arrays.copyOf(slots, count * 2);
        }
        connection.slot = count;
        slots[count++] = connection;
    }

    /** A connection's socket closed: the last one takes its slot (a walk from the top down sees each once). */
    void remove(WsConnection connection) {
        int slot = connection.slot;
        if (slot < 0) {
            return;
        }
        WsConnection last = slots[--count];
        slots[slot] = last;
        last.slot = slot;
        slots[count] = null;
        connection.slot = -1;
        if (count < slots.length / 4 && slots.length > 16) {
            slots = Arrays.copyOf(slots, slots.length / 2); // ten thousand gone: their slots go too
        }
    }

    /** The connections now, a copy. */
    List<WsConnection> snapshot() {
        return Arrays.asList(Arrays.copyOf(slots, count));
    }

    /** Whether a walk is under way: the loop then looks for I/O without waiting, and comes back to it. */
    boolean walking() {
        return sweepBelow > 0 || !nextTurn.isEmpty();
    }

    /**
     * Runs {@code action} on each connection there is now, a slice of them per turn (see
     * {@link #PASS_SLICE}), then completes {@code done} with {@code result}. Until then, a
     * connection with input gets {@code action} before it is read, so {@code action} must do
     * nothing the second time on a connection.
     *
     * @param removal whether a removal waits for the pass (see {@link #PASS_SLICE})
     */
    <T> void pass(Consumer<WsConnection> action, boolean removal, CompletableFuture<T> done, T result) {
        List<WsConnection> pass = snapshot();
        passesUnderWay.add(action);
        runSlice(pass, 0, removal ? Math.max(PASS_SLICE, pass.size() / PASS_TURNS + 1) : 1, action, done, result);
    }

    /** Gives {@code connection} the actions of the passes under way, before its input is read. */
    void beforeInput(WsConnection connection) {
        for (int i = 0; i < passesUnderWay.size(); i++) {
            passesUnderWay.get(i).accept(connection);
        }
    }

    private <T> void runSlice(List<WsConnection> pass, int from, int slice, Consumer<WsConnection> action,
                              CompletableFuture<T> done, T result) {
        long deadline = System.nanoTime() + SLICE_NANOS;
        int least = Math.min(pass.size(), from + slice);
        int next = from;
        try {
            while (next < pass.size() && (next < least || System.nanoTime() - deadline < 0)) {
                action.accept(pass.get(next++));
            }
        } catch (Throwable failure) {
            passesUnderWay.remove(action);
            done.completeExceptionally(failure);
            return;
        }
        int end = next;
        if (end < pass.size()) {
            nextTurn.add(() -> runSlice(pass, end, slice, action, done, result));
        } else {
            passesUnderWay.remove(action);
            done.complete(result);
        }
    }

    /** Starts a timer sweep over every connection there is now, unless one is still under way. */
    void startSweep() {
        if (sweepBelow == 0) {
            sweepBelow = count;
        }
    }

    /** Goes on with the walks under way, a slice each: the rest of each pass, then the sweep's, at {@code now}. */
    void continueWalks(long now) {
        if (!nextTurn.isEmpty()) {
            List<Runnable> due = nextTurn;
            nextTurn = new ArrayList<>();
            for (Runnable slice : due) {
                try {
                    slice.run();
                } catch (Throwable failure) {
                    LOG.log(Level.WARNING, "a pass over the connections failed", failure);
                }
            }
        }
        if (sweepBelow > 0) {
            sweep(now);
        }
    }

    private void sweep(long now) {
        long deadline = System.nanoTime() + SLICE_NANOS;
        int slot = Math.min(sweepBelow, count);
        while (slot > 0 && ((slot & 31) != 0 || System.nanoTime() - deadline < 0)) { // the clock read every 32
            WsConnection connection = slots[--slot];
            try {
                connection.checkTimers(now);
            } catch (Throwable failure) {
                LOG.log(Level.WARNING, "connection " + connection.id() + " failed", failure);
                connection.closeChannel();
            }
        }
        sweepBelow = slot;
    }
}

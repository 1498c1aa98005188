package io.switchboard.endpoint.capacity;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap in use once garbage is gone, for the tests that weigh connections: a full GC
 * (System.gc(), twice, which with the JVM's defaults returns once the collection is done) before
 * each of five readings, keeping the smallest, so that a little allocation racing a reading does
 * not count.
 *
 * <p>What this counts: every Java object the server keeps for a connection. What it does not
 * count: direct buffers (the selector loops' read buffers are off-heap and shared per loop), the
 * JDK's cached temporary direct buffers, native zlib state, the kernel's socket buffers and
 * structures, and thread stacks; none of these is heap.
 */
public final class SettledHeap {
    private SettledHeap() {
    }

    public static long used() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.gc();
            min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
        }
        return min;
    }
}

package io.switchboard.benchmarks.load;

import java.lang.management.ManagementFactory;

/**
 * The generator's own costs: its CPU time, to show whether the generator (not the server) was the
 * limit, and the selector thread's allocation, to show that the echo loop allocates nothing per message.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /**
     * Loads the classes the measurements use (here and for the control port) before the warm-up:
     * classes loaded later would make the JIT discard code compiled during the warm-up, right when
     * the measurement starts.
     */
    static void prime(ControlClient control) throws RunFailure {
        nanos();
        allocatedBytes();
        control.query("cpu");
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Bytes allocated so far by the calling thread. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

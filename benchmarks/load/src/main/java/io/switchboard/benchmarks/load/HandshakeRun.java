package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * S4, in three steps against one server:
 * <ol>
 *   <li>Heap: with the server fresh, a heap baseline, then all connections opened, 1 s idle, and
 *       the heap again. This comes first so that nothing left over from earlier connections (pooled
 *       buffers, connections the server is still tearing down) sits in the baseline.</li>
 *   <li>Warm-up: close them, and open and close all connections again until {@code --warmup}
 *       seconds have passed since step 1 began, so that both JVMs have compiled the code step 3 runs.</li>
 *   <li>Rate: open all connections once more; handshakes/s = connections opened / (first connect
 *       to last 101). The CPU figures cover this connect phase.</li>
 * </ol>
 * With {@code --warmup 0}, step 1 also gives the rate, with both JVMs cold.
 */
final class HandshakeRun {
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Below this share of successful handshakes the run is a failure, not a result. */
    static final double MIN_SUCCESS = 0.99;

    private final Options options;

    HandshakeRun(Options options) {
        this.options = options;
    }

    /** One opening of all connections, timed. */
    private record ConnectRound(int opened, int failed, long connectNanos, double serverCpuUtil, double generatorCpuUtil) {
        double handshakesPerSec() {
            return opened / (connectNanos / 1e9);
        }
    }

    Result run() throws RunFailure {
        Traffic traffic = new Traffic(options, new SplittableRandom().nextInt());
        try (EventLoop loop = new EventLoop(); ControlClient control = ControlClient.connect(options.controlPort)) {
            Connector connector = new Connector(options, loop, traffic, new EchoStats());
            ProcessCpu.prime(control);
            long warmupEnd = System.nanoTime() + (long) (options.warmupSeconds * 1e9);

            long heapBefore = control.query("heap");
            LoadGenerator.log("S4: server heap %d B; opening %d connections (at most %d handshakes pending)",
                    heapBefore, options.connections, Connector.MAX_PENDING);
            ConnectRound measured = openAll(connector, control, "heap round");
            loop.runFor(IDLE_NANOS, now -> { });
            long heapAfter = control.query("heap");
            long heapPerConnection = Math.round((heapAfter - heapBefore) / (double) measured.opened());
            LoadGenerator.log("S4: server heap after 1 s idle %d B: %d B per idle connection", heapAfter, heapPerConnection);
            closeAll(connector);

            if (options.warmupSeconds > 0) {
                for (int round = 1; System.nanoTime() - warmupEnd < 0; round++) {
                    connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
                    LoadGenerator.log("S4: warm-up round %d: %d open in %.2f s, %d failed", round, connector.opened(),
                            connector.connectNanos() / 1e9, connector.failed());
                    closeAll(connector);
                }
                measured = openAll(connector, control, "rate round");
                closeAll(connector);
            }
            return new Result(options)
                    .put("handshakesPerSec", measured.handshakesPerSec())
                    .put("serverCpuUtil", measured.serverCpuUtil())
                    .put("generatorCpuUtil", measured.generatorCpuUtil())
                    .put("heapPerIdleConnection", heapPerConnection)
                    .put("failedHandshakes", measured.failed());
        } catch (IOException e) {
            throw new RunFailure("I/O failure outside a connection: " + e.getMessage(), e);
        }
    }

    /** Opens all connections, timing them and both processes' CPU; fails the run below 99 % success. */
    private ConnectRound openAll(Connector connector, ControlClient control, String name) throws RunFailure {
        long serverCpuStart = control.query("cpu");
        long generatorCpuStart = ProcessCpu.nanos();
        long start = System.nanoTime();
        connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
        long wall = System.nanoTime() - start;
        long generatorCpu = ProcessCpu.nanos() - generatorCpuStart;
        long serverCpu = control.query("cpu") - serverCpuStart;
        ConnectRound round = new ConnectRound(connector.opened(), connector.failed(), connector.connectNanos(),
                serverCpu / (double) wall, generatorCpu / (double) wall);
        if (round.failed() > 0) {
            LoadGenerator.log("warning: S4 %s: %d of %d handshakes failed, the first: %s", name, round.failed(),
                    options.connections, connector.firstFailure());
        }
        if (round.opened() < MIN_SUCCESS * options.connections) {
            throw new RunFailure("S4 " + name + ": only " + round.opened() + " of " + options.connections
                    + " handshakes succeeded, the first failure: " + connector.firstFailure());
        }
        LoadGenerator.log("S4 %s: %d open in %.2f s (%.0f handshakes/s), server CPU %.2f, generator CPU %.2f", name,
                round.opened(), round.connectNanos() / 1e9, round.handshakesPerSec(), round.serverCpuUtil(),
                round.generatorCpuUtil());
        return round;
    }

    private static void closeAll(Connector connector) throws RunFailure {
        connector.closeAll(CLOSE_TIMEOUT_NANOS);
        connector.reset();
    }
}

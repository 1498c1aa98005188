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
 *   <li>Warm-up: close them, and open and close all connections again for {@code --warmup}
 *       seconds, so that both JVMs have compiled the code step 3 runs. The clock starts after
 *       step 1, which alone takes longer than a few seconds of warm-up.</li>
 *   <li>Rate: open and close all connections for {@code --duration} seconds, at least once;
 *       handshakes/s = connections opened / time from each round's first connect to its last
 *       101, summed over the rounds. The CPU figures cover these connect phases only. One round
 *       of 10,000 takes well under a second, too short a window on a shared machine.</li>
 * </ol>
 * With {@code --warmup 0}, step 1 also gives the rate, with both JVMs cold. With
 * {@code --warm-generator-port}, step 1 gives the rate of a cold server under a warm generator: the
 * generator first warms up for {@code --warmup} seconds against that other server, as a client
 * fleet that was connected elsewhere meets a server freshly started (after a restart, every
 * client reconnects at once); steps 2 and 3 are skipped.
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
    /** Openings of all connections, timed: one round, or the sum of several. */
    private record ConnectRound(int opened, int failed, long connectNanos, long serverCpuNanos, long generatorCpuNanos,
            long wallNanos) {
        double handshakesPerSec() {
            return opened / (connectNanos / 1e9);
        }

        double serverCpuUtil() {
            return serverCpuNanos / (double) wallNanos;
        }

        double generatorCpuUtil() {
            return generatorCpuNanos / (double) wallNanos;
        }

        ConnectRound plus(ConnectRound other) {
            return new ConnectRound(opened + other.opened, failed + other.failed, connectNanos + other.connectNanos,
                    serverCpuNanos + other.serverCpuNanos, generatorCpuNanos + other.generatorCpuNanos,
                    wallNanos + other.wallNanos);
        }
    }

    Result run() throws RunFailure {
        Traffic traffic = new Traffic(options, new SplittableRandom().nextInt());
        try (EventLoop loop = new EventLoop(); ControlClient control = ControlClient.connect(options.controlPort)) {
            Connector connector = new Connector(options, loop, traffic, new EchoStats());
            ProcessCpu.prime(control);
            boolean cold = options.warmGeneratorPort >= 0;
            if (cold) {
                LoadGenerator.log("S4 cold: warming the generator against port %d", options.warmGeneratorPort);
                warmUp(new Connector(options.withPort(options.warmGeneratorPort), loop, traffic, new EchoStats()));
            }

            long heapBefore = control.query("heap");
            LoadGenerator.log("S4: server heap %d B; opening %d connections (at most %d handshakes pending)",
                    heapBefore, options.connections, Connector.MAX_PENDING);
            ConnectRound measured = openAll(connector, control, "heap round");
            loop.runFor(IDLE_NANOS, now -> { });
            long heapAfter = control.query("heap");
            long heapPerConnection = Math.round((heapAfter - heapBefore) / (double) measured.opened());
            LoadGenerator.log("S4: server heap after 1 s idle %d B: %d B per idle connection", heapAfter, heapPerConnection);
            closeAll(connector);

            if (options.warmupSeconds > 0 && !cold) {
                warmUp(connector);
                measured = measureRate(connector, control);
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

    /** Opens and closes all connections, untimed, for the warm-up seconds. */
    private void warmUp(Connector connector) throws RunFailure {
        long end = System.nanoTime() + (long) (options.warmupSeconds * 1e9);
        for (int round = 1; System.nanoTime() - end < 0; round++) {
            connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
            LoadGenerator.log("S4: warm-up round %d: %d open in %.2f s, %d failed", round, connector.opened(),
                    connector.connectNanos() / 1e9, connector.failed());
            closeAll(connector);
        }
    }

    /** Opens and closes all connections, timed, for the measurement seconds and at least once. */
    private ConnectRound measureRate(Connector connector, ControlClient control) throws RunFailure {
        long end = System.nanoTime() + (long) (options.durationSeconds * 1e9);
        ConnectRound measured = openAll(connector, control, "rate round 1");
        closeAll(connector);
        for (int round = 2; System.nanoTime() - end < 0; round++) {
            measured = measured.plus(openAll(connector, control, "rate round " + round));
            closeAll(connector);
        }
        return measured;
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
                serverCpu, generatorCpu, wall);
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

package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * S1 to S3: connect all, warm up with traffic flowing, then measure a window in which only echoes
 * completed inside it count, with the server's and the generator's CPU time read at both ends.
 * Then the traffic stops, the echoes outstanding come back, and after {@link #IDLE_NANOS} the
 * server's heap after a collection, minus its heap before the first connection, gives what each
 * connection holds between messages once it has carried thousands of them (its buffers, its
 * compression state, its share of the loop's pools).
 */
final class EchoRun {
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A connection with messages outstanding and no byte received for this long has stalled. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Options options;

    EchoRun(Options options) {
        this.options = options;
    }

    Result run() throws RunFailure {
        Traffic traffic = new Traffic(options, new SplittableRandom().nextInt());
        EchoStats stats = new EchoStats();
        try (EventLoop loop = new EventLoop(); ControlClient control = ControlClient.connect(options.controlPort)) {
            ProcessCpu.prime(control);
            long heapBefore = control.query("heap");
            Connector connector = new Connector(options, loop, traffic, stats);
            LoadGenerator.log("%s: opening %d connections to %s:%d", options.scenario, options.connections,
                    options.host, options.port);
            connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
            if (connector.failed() > 0) {
                throw new RunFailure(connector.failed() + " of " + options.connections + " handshakes failed, the first: "
                        + connector.firstFailure());
            }
            LoadGenerator.log("%s: %d open in %.2f s; warm-up %.1f s", options.scenario, connector.opened(),
                    connector.connectNanos() / 1e9, options.warmupSeconds);
            connector.startTraffic();
            StallCheck stallCheck = new StallCheck(connector, loop);
            loop.runFor(seconds(options.warmupSeconds), stallCheck::check);

            long serverCpuStart = control.query("cpu");
            long generatorCpuStart = ProcessCpu.nanos();
            long allocatedStart = ProcessCpu.allocatedBytes();
            long start = System.nanoTime();
            stats.startWindow();
            loop.runFor(seconds(options.durationSeconds), stallCheck::check);
            stats.endWindow();
            long wall = System.nanoTime() - start;
            long allocated = ProcessCpu.allocatedBytes() - allocatedStart;
            long generatorCpu = ProcessCpu.nanos() - generatorCpuStart;
            long serverCpu = control.query("cpu") - serverCpuStart;
            LoadGenerator.log("%s: the selector thread allocated %d B in the window (%.4f B per message)",
                    options.scenario, allocated, allocated / (double) Math.max(1, stats.messages()));
            connector.drain(STALL_NANOS);
            loop.runFor(IDLE_NANOS, now -> { });
            long heapPerConnection = Math.round((control.query("heap") - heapBefore) / (double) connector.opened());
            LoadGenerator.log("%s: server heap after the traffic, idle: %d B per connection", options.scenario, heapPerConnection);

            connector.closeAll(CLOSE_TIMEOUT_NANOS);
            warnIfUncompressed(connector);
            if (stats.messages() == 0) {
                throw new RunFailure("no message was echoed in the measurement window");
            }
            return result(stats, wall, serverCpu, generatorCpu).put("heapPerIdleConnection", heapPerConnection);
        } catch (IOException e) {
            throw new RunFailure("I/O failure outside a connection: " + e.getMessage(), e);
        }
    }

    private Result result(EchoStats stats, long wallNanos, long serverCpuNanos, long generatorCpuNanos) {
        long messages = stats.messages();
        double seconds = wallNanos / 1e9;
        Result result = new Result(options)
                .put("inFlight", options.inFlight)
                .put("size", options.size)
                .put("msgsPerSec", messages / seconds)
                .put("mbPerSec", messages * (double) options.size / seconds / 1e6)
                .put("p50us", stats.percentileMicros(50))
                .put("p99us", stats.percentileMicros(99))
                .put("p999us", stats.percentileMicros(99.9))
                .put("serverCpuUsPerMsg", serverCpuNanos / 1e3 / messages)
                .put("serverCpuUtil", serverCpuNanos / (double) wallNanos)
                .put("generatorCpuUtil", generatorCpuNanos / (double) wallNanos)
                .put("failedHandshakes", 0)
                .put("messages", messages);
        LoadGenerator.log("%s: %.0f msg/s, p50 %.1f us, p99 %.1f us, server CPU %.2f, generator CPU %.2f",
                options.scenario, messages / seconds, stats.percentileMicros(50), stats.percentileMicros(99),
                serverCpuNanos / (double) wallNanos, generatorCpuNanos / (double) wallNanos);
        return result;
    }

    private void warnIfUncompressed(Connector connector) {
        if (!options.deflate) {
            return;
        }
        long uncompressed = 0;
        long echoes = 0;
        for (Connection connection : connector.connections()) {
            uncompressed += connection.uncompressedEchoes();
            echoes += connection.echoes();
        }
        if (uncompressed > 0) {
            // RFC 7692 lets a sender skip compression, but then the server did less work than one that compresses.
            LoadGenerator.log("warning: the server negotiated permessage-deflate but sent %d of %d echoes uncompressed "
                    + "(%d-byte messages)", uncompressed, echoes, options.size);
        }
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** Fails the run when an open connection has messages outstanding and has received nothing for a while. */
    private static final class StallCheck {
        private final Connector connector;
        private final EventLoop loop;

        StallCheck(Connector connector, EventLoop loop) {
            this.connector = connector;
            this.loop = loop;
        }

        void check(long now) {
            for (Connection connection : connector.connections()) {
                if (connection.isOpen() && connection.outstanding() > 0
                        && now - connection.lastProgress() > STALL_NANOS) {
                    loop.abort(new RunFailure("timeout: connection " + connection.id + " received nothing for "
                            + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s with " + connection.outstanding()
                            + " messages outstanding"));
                    return;
                }
            }
        }
    }
}

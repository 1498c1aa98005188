package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * S7, the swap pause: connect all, start paced traffic (one message per connection per pace, the
 * phases spread, {@link Pacer}), warm up, then measure two windows of the same length back to
 * back: the baseline, and the swap window, {@value #SWAP_LEAD_MILLIS} ms into which the handler
 * bundle's new version is moved into the deploy folder ({@link SwapDrop}): over the deployed jar,
 * which the launcher's FileInstall notices within its poll interval and updates in place, or beside
 * it for blue/green, where FileInstall installs it as a second bundle (and the runner deletes the
 * old jar once the new version has registered). Sending stops at the end of the second window; the
 * run then waits for every answer, checks that none is missing, and reports the figures of
 * {@link SwapPauses} for both windows. Every echo was checked as it came ({@link SwapReceiver}).
 */
final class SwapRun {
    static final String PATH = "/swap";
    static final long SWAP_LEAD_MILLIS = 500;
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Beyond the server's 30 s swap grace period, after which it would close a connection left without a handler. */
    static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(45);
    /** A connection with messages unanswered and no byte received for this long has stalled. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(40);
    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Sends are due every pace / connections (10 µs at 10,000 × 100 ms): the loop looks every millisecond. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long STALL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A swap moved later than this past its time means the generator's loop fell behind: no valid window. */
    private static final long TRIGGER_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Options options;
    private final SwapReceiver[] receivers;
    private Connection[] connections;
    private Pacer pacer;
    private long skipped;
    private long nextStallCheck;
    private EventLoop loop;

    SwapRun(Options options) {
        this.options = options;
        this.receivers = new SwapReceiver[options.connections];
    }

    Result run() throws RunFailure {
        Traffic traffic = new Traffic(options, new SplittableRandom().nextInt());
        SwapPauses pauses = new SwapPauses(options.connections);
        SwapDrop swapDrop = options.swapJar == null ? null
                : SwapDrop.stage(options.swapJar, options.deployJar, options.swapVariant);
        SwapDrop rehearsal = options.rehearseJar == null ? null
                : SwapDrop.stage(options.rehearseJar, options.deployJar, options.swapVariant);
        try (EventLoop loop = new EventLoop(TICK_NANOS)) {
            this.loop = loop;
            Connector connector = new Connector(options, loop, traffic, new EchoStats(), PATH,
                    id -> receivers[id] = new SwapReceiver(id, traffic, pauses));
            LoadGenerator.log("S7: opening %d connections to %s:%d%s", options.connections, options.host, options.port, PATH);
            connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
            if (connector.failed() > 0) {
                throw new RunFailure(connector.failed() + " of " + options.connections + " handshakes failed, the first: "
                        + connector.firstFailure());
            }
            List<Connection> open = connector.connections();
            connections = open.toArray(new Connection[0]);
            for (Connection connection : connections) {
                connection.startPacedTraffic();
            }
            long paceNanos = TimeUnit.MILLISECONDS.toNanos(options.paceMillis);
            pacer = new Pacer(connections.length, paceNanos, System.nanoTime());
            LoadGenerator.log("S7: %d open in %.2f s; one message per connection every %d ms; warm-up %.1f s",
                    connector.opened(), connector.connectNanos() / 1e9, options.paceMillis, options.warmupSeconds);
            // The management classes the CPU reading needs, loaded now: loaded at the window's start, they
            // held this loop there for 100-200 ms, and the sends it then caught up on in one burst
            // showed as a pause of the server in every baseline.
            ProcessCpu.nanos();
            if (rehearsal == null) {
                loop.runFor(seconds(options.warmupSeconds), this::tick);
            } else {
                rehearse(rehearsal);
            }
            if (options.settlePid > 0) {
                settleServerHeap(options.settlePid);
            }

            long window = seconds(options.durationSeconds);
            long generatorCpuStart = ProcessCpu.nanos();
            long baselineStart = System.nanoTime();
            SwapPauses.Window baseline = pauses.window("baseline", baselineStart, baselineStart + window);
            SwapPauses.Window swap = pauses.window("swap", baselineStart + window, baselineStart + 2 * window);
            loop.runUntil(swap.start, () -> false, this::tick);
            long trigger = 0;
            if (swapDrop != null) {
                long planned = swap.start + TimeUnit.MILLISECONDS.toNanos(SWAP_LEAD_MILLIS);
                loop.runUntil(planned, () -> false, this::tick);
                trigger = swapDrop.drop();
                LoadGenerator.log("S7 (%s): moved %s to %s", options.swapVariant.label, options.swapJar, swapDrop.target());
                if (trigger - planned > TRIGGER_SLACK_NANOS) {
                    throw new RunFailure(String.format(Locale.ROOT, "the generator fell behind: the swap was due %d ms into "
                            + "the window and came %.0f ms late (a busy machine, or too many connections for the pace)",
                            SWAP_LEAD_MILLIS, (trigger - planned) / 1e6));
                }
            }
            loop.runUntil(swap.end, () -> false, this::tick);
            double generatorCpu = (ProcessCpu.nanos() - generatorCpuStart) / (double) (System.nanoTime() - baselineStart);
            pacer = null; // sending stops; what was sent is awaited

            if (!loop.runUntil(System.nanoTime() + DRAIN_TIMEOUT_NANOS, this::allAnswered, this::tick)) {
                throw new RunFailure(unanswered() + " messages still unanswered "
                        + TimeUnit.NANOSECONDS.toSeconds(DRAIN_TIMEOUT_NANOS) + " s after sending stopped");
            }
            long sent = sentCount();
            connector.closeAll(CLOSE_TIMEOUT_NANOS);
            LoadGenerator.log("S7: all %d messages answered once, in order, unaltered; no connection closed", sent);
            return result(baseline, swap, trigger).put("generatorCpuUtil", generatorCpu);
        } catch (IOException e) {
            throw new RunFailure("I/O failure outside a connection: " + e.getMessage(), e);
        }
    }

    /**
     * Warms up with a swap halfway: a swap runs code that steady traffic never does (the passes over
     * the connections, tasks handed to the selector loop, a handler class the loop has not called),
     * and the JIT, having compiled the loop's message path without those branches, throws that code
     * away and compiles it again the first time. That is the first swap's cost, not every swap's: a
     * rehearsal leaves the measured swap the steady one.
     */
    private void rehearse(SwapDrop rehearsal) throws RunFailure {
        long half = seconds(options.warmupSeconds) / 2;
        loop.runFor(half, this::tick);
        rehearsal.drop();
        LoadGenerator.log("S7 (%s): rehearsal: moved %s to %s", options.swapVariant.label, options.rehearseJar,
                rehearsal.target());
        loop.runFor(half, this::tick);
    }

    /**
     * Has the server run a full collection (through {@code jcmd}) while the paced traffic goes on,
     * then warms up for one more second. The state of the connections just opened is young until
     * the collector has copied it to the old generation, two or three young collections later; on
     * one core each such collection holds the server for tens of milliseconds. A server whose
     * connections opened long before its handler is updated has long done that, so the windows
     * should not measure it.
     */
    private void settleServerHeap(long pid) throws RunFailure, IOException {
        long start = System.nanoTime();
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!loop.runUntil(start + SETTLE_TIMEOUT_NANOS, () -> !jcmd.isAlive(), this::tick) || jcmd.exitValue() != 0) {
            jcmd.destroy();
            throw new RunFailure("jcmd " + pid + " GC.run failed or did not finish");
        }
        LoadGenerator.log("S7: the server's heap settled (jcmd GC.run) in %.2f s", (System.nanoTime() - start) / 1e9);
        loop.runFor(TimeUnit.SECONDS.toNanos(1), this::tick);
    }

    /** Paces the sends and, every 100 ms, fails the run if a connection stalled. */
    private void tick(long now) {
        if (pacer != null) {
            pacer.sendDue(now, this::send);
        }
        if (now - nextStallCheck >= 0) {
            nextStallCheck = now + STALL_CHECK_NANOS;
            checkStalls(now);
        }
    }

    private void send(int index) {
        Connection connection = connections[index];
        SwapReceiver receiver = receivers[connection.id];
        long now = System.nanoTime();
        if (connection.sendPaced()) {
            receiver.sent(now);
        } else {
            skipped++;
        }
    }

    private void checkStalls(long now) {
        for (Connection connection : connections) {
            if (connection.isOpen() && connection.outstanding() > 0 && now - connection.lastProgress() > STALL_NANOS) {
                loop.abort(new RunFailure("timeout: connection " + connection.id + " received nothing for "
                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s with " + connection.outstanding()
                        + " messages unanswered"));
                return;
            }
        }
    }

    private boolean allAnswered() {
        return unanswered() == 0;
    }

    private long unanswered() {
        long unanswered = 0;
        for (SwapReceiver receiver : receivers) {
            unanswered += receiver.unanswered();
        }
        return unanswered;
    }

    private long sentCount() {
        long sent = 0;
        for (SwapReceiver receiver : receivers) {
            sent += receiver.sentCount();
        }
        return sent;
    }

    private Result result(SwapPauses.Window baseline, SwapPauses.Window swap, long trigger) throws RunFailure {
        if (baseline.connections() < connections.length || swap.connections() < connections.length) {
            throw new RunFailure("some connections sent nothing in a window (" + baseline.connections() + " and "
                    + swap.connections() + " of " + connections.length + "): the window is shorter than the pace");
        }
        double seconds = (swap.end - baseline.start) / 1e9;
        long messages = baseline.messages() + swap.messages();
        Result result = new Result(options)
                .put("inFlight", options.inFlight)
                .put("size", options.size)
                .put("paceMs", options.paceMillis)
                .put("msgsPerSec", messages / seconds)
                .put("messages", messages)
                .put("windowMessages", messages)
                .put("failedHandshakes", 0)
                .put("messagesLost", 0)
                .put("connectionsClosed", 0)
                .put("sendsSkipped", skipped)
                .put("swapVariant", options.swapJar == null ? null : options.swapVariant.label)
                .put("swapTriggerNanos", trigger == 0 ? null : trigger)
                .put("swapWindowStartNanos", swap.start)
                .put("swapWindowEndNanos", swap.end);
        figures(result, "baseline", baseline);
        figures(result, "swap", swap);
        return result;
    }

    private static void figures(Result result, String prefix, SwapPauses.Window window) {
        result.put(prefix + "PauseP50us", window.pauseNanos(50) / 1e3)
                .put(prefix + "PauseP99us", window.pauseNanos(99) / 1e3)
                .put(prefix + "PauseMaxUs", window.pauseNanos(100) / 1e3)
                .put(prefix + "SilenceUs", window.silenceNanos() / 1e3)
                .put(prefix + "SilenceStartNanos", window.silenceStartNanos())
                .put(prefix + "DelayProfileUs", Arrays.stream(window.delayProfileNanos()).map(d -> d < 0 ? d : d / 1000)
                        .toArray())
                .put(prefix + "DelayP99us", window.delayNanos(99) / 1e3);
        LoadGenerator.log("S7 %s window: pause p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d connections; "
                        + "longest silence %.2f ms; message delay p50 %.2f ms, p99 %.2f ms (%d messages)",
                window.name, window.pauseNanos(50) / 1e6, window.pauseNanos(99) / 1e6, window.pauseNanos(100) / 1e6,
                window.connections(), window.silenceNanos() / 1e6, window.delayNanos(50) / 1e6,
                window.delayNanos(99) / 1e6, window.messages());
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}

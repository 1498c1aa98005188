package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.HdrHistogram.Histogram;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;

/**
 * S1 to S3 with Switchboard's {@link WebSocketClient} as the generator ({@code --generator
 * client}), on one loop of the client's own, to set against the hand-written generator's figures
 * for the same server: the same phases as {@link EchoRun} (connect all, warm up, measure only
 * the echoes completed in the window, read both processes' CPU at its ends, drain, heap per idle
 * connection), with the client's handlers doing what the hand-written connections do by hand:
 * each connection keeps {@code inFlight} messages outstanding, sends the next as an echo arrives
 * and times each round trip. Every echo is compared with what was sent.
 *
 * <p>Threads: the handlers run on the client's loop, the only writer of the latency histogram,
 * which records while the volatile {@code recording} is set; this class's methods run on the main
 * thread, which reads the handlers' progress through volatile fields, and the histogram only
 * once every connection has drained (each has written its volatile {@code outstanding} after its
 * last recording).
 */
final class ClientEchoRun {
    /** At most this many handshakes in progress at once, as a real client population would connect. */
    private static final int CONNECTING_AT_ONCE = 100;
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Options options;
    private final Histogram latencies = new Histogram(MAX_LATENCY_NANOS, 3);
    private volatile boolean recording;
    private volatile boolean sending = true;
    private volatile RunFailure failure;

    ClientEchoRun(Options options) {
        this.options = options;
    }

    Result run() throws RunFailure {
        byte[] payload = options.text || options.deflate ? Payloads.text(options.size) : Payloads.binary(options.size);
        List<EchoingConnection> connections = new ArrayList<>();
        try (ControlClient control = ControlClient.connect(options.controlPort);
             WebSocketClient client = client()) {
            ProcessCpu.prime(control);
            long heapBefore = control.query("heap");
            LoadGenerator.log("%s (client generator): opening %d connections to %s:%d", options.scenario,
                    options.connections, options.host, options.port);
            long connectStart = System.nanoTime();
            connectAll(client, payload, connections);
            LoadGenerator.log("%s: %d open in %.2f s; warm-up %.1f s", options.scenario, connections.size(),
                    (System.nanoTime() - connectStart) / 1e9, options.warmupSeconds);
            for (EchoingConnection connection : connections) {
                connection.start();
            }
            runFor(connections, options.warmupSeconds);

            long serverCpuStart = control.query("cpu");
            long generatorCpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            recording = true;
            runFor(connections, options.durationSeconds);
            recording = false;
            long wall = System.nanoTime() - start;
            long generatorCpu = ProcessCpu.nanos() - generatorCpuStart;
            long serverCpu = control.query("cpu") - serverCpuStart;

            sending = false;
            drain(connections);
            Histogram window = latencies;
            long heapPerConnection = Math.round((control.query("heap") - heapBefore) / (double) connections.size());
            if (window.getTotalCount() == 0) {
                throw new RunFailure("no message was echoed in the measurement window");
            }
            return result(window, wall, serverCpu, generatorCpu).put("heapPerIdleConnection", heapPerConnection);
        } catch (IOException | GeneralSecurityException e) {
            throw new RunFailure("I/O failure outside a connection: " + e.getMessage(), e);
        }
    }

    private WebSocketClient client() throws IOException, GeneralSecurityException {
        WebSocketClient.Builder builder = WebSocketClient.builder()
                .name("load")
                .loops(1)
                .connectTimeout(java.time.Duration.ofSeconds(30))
                .handshakeTimeout(java.time.Duration.ofSeconds(60))
                .maxMessageSize(Math.max(options.size, 1 << 16))
                .sendQueue(1L << 20, 4L << 20, 512L << 20);
        if (options.tls) {
            builder.tls(new TrustAllTls(options.tlsProtocol).context());
        }
        if (options.deflate) {
            // The hand-written generator's offer: client_no_context_takeover.
            builder.perMessageDeflate(new PerMessageDeflate(false, true));
        }
        return builder.build();
    }

    private void connectAll(WebSocketClient client, byte[] payload, List<EchoingConnection> connections) throws RunFailure {
        URI uri = URI.create((options.tls ? "wss://" : "ws://") + options.host + ":" + options.port + "/");
        ByteBuffer message = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        long deadline = System.nanoTime() + EchoRun.CONNECT_TIMEOUT_NANOS;
        List<CompletableFuture<Connection>> batch = new ArrayList<>();
        for (int opened = 0; opened < options.connections; ) {
            batch.clear();
            int first = connections.size();
            for (int i = 0; i < CONNECTING_AT_ONCE && opened < options.connections; i++, opened++) {
                EchoingConnection connection = new EchoingConnection(message);
                connections.add(connection);
                batch.add(client.connect(uri, connection));
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    connections.get(first + i).connection =
                            batch.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    throw new RunFailure("handshake " + (first + i) + " failed: " + cause, cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunFailure("interrupted while connecting", e);
                }
            }
        }
    }

    /** Lets the traffic flow for {@code seconds}, checking once a second that no connection stalled or failed. */
    private void runFor(List<EchoingConnection> connections, double seconds) throws RunFailure {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            sleepNanos(Math.min(end - now, TimeUnit.SECONDS.toNanos(1)));
            check(connections, System.nanoTime());
        }
    }

    private void check(List<EchoingConnection> connections, long now) throws RunFailure {
        if (failure != null) {
            throw failure;
        }
        for (EchoingConnection connection : connections) {
            if (connection.closed != null) {
                throw new RunFailure("a connection closed during the run: " + connection.closed);
            }
            if (now - connection.lastProgress > EchoRun.STALL_NANOS) {
                throw new RunFailure("timeout: a connection received nothing for "
                        + TimeUnit.NANOSECONDS.toSeconds(EchoRun.STALL_NANOS) + " s");
            }
        }
    }

    /** Waits until every connection has had its outstanding echoes back, then lets the server settle. */
    private void drain(List<EchoingConnection> connections) throws RunFailure {
        long deadline = System.nanoTime() + EchoRun.STALL_NANOS;
        for (EchoingConnection connection : connections) {
            while (connection.outstanding() > 0) {
                if (System.nanoTime() > deadline || connection.closed != null) {
                    throw new RunFailure("echoes still outstanding after the traffic stopped");
                }
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        sleepNanos(EchoRun.IDLE_NANOS);
    }

    private Result result(Histogram window, long wallNanos, long serverCpuNanos, long generatorCpuNanos) {
        long messages = window.getTotalCount();
        double seconds = wallNanos / 1e9;
        Result result = new Result(options)
                .put("inFlight", options.inFlight)
                .put("size", options.size)
                .put("msgsPerSec", messages / seconds)
                .put("mbPerSec", messages * (double) options.size / seconds / 1e6)
                .put("p50us", window.getValueAtPercentile(50) / 1000.0)
                .put("p99us", window.getValueAtPercentile(99) / 1000.0)
                .put("p999us", window.getValueAtPercentile(99.9) / 1000.0)
                .put("serverCpuUsPerMsg", serverCpuNanos / 1e3 / messages)
                .put("serverCpuUtil", serverCpuNanos / (double) wallNanos)
                .put("generatorCpuUtil", generatorCpuNanos / (double) wallNanos)
                .put("failedHandshakes", 0)
                .put("messages", messages);
        LoadGenerator.log("%s (client generator): %.0f msg/s, p50 %.1f us, p99 %.1f us, server CPU %.2f, generator CPU %.2f",
                options.scenario, messages / seconds, window.getValueAtPercentile(50) / 1000.0,
                window.getValueAtPercentile(99) / 1000.0, serverCpuNanos / (double) wallNanos,
                generatorCpuNanos / (double) wallNanos);
        return result;
    }

    private static void sleepNanos(long nanos) throws RunFailure {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted", e);
        }
    }

    /**
     * One connection's traffic: {@code inFlight} messages outstanding, the send times of those in
     * a ring (echoes come back in order). Its callbacks run on the client's loop, and so does all
     * its bookkeeping: {@link #start} only pings, and the pong sends the first messages, so that
     * the hot path needs no lock.
     */
    private final class EchoingConnection implements ConnectionHandler {
        /** The handler's progress, for the main thread's stall check: a release store, not a fence per message. */
        private static final VarHandle LAST_PROGRESS;

        static {
            try {
                LAST_PROGRESS = MethodHandles.lookup().findVarHandle(EchoingConnection.class, "lastProgress", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final ByteBuffer message;
        private final long[] sentAt = new long[options.inFlight];
        private int oldest;
        private volatile int outstanding;
        volatile long lastProgress = System.nanoTime();
        volatile CloseStatus closed;
        volatile Connection connection;

        EchoingConnection(ByteBuffer message) {
            this.message = message;
        }

        /** Starts the traffic, from the main thread: the pong sends the first {@code inFlight} messages. */
        void start() {
            connection.ping();
        }

        @Override
        public void pong(Connection connection, ByteBuffer payload) {
            for (int i = 0; i < sentAt.length; i++) {
                sentAt[i] = System.nanoTime();
                connection.send(message); // send copies the bytes, the buffer stays as it is
            }
            outstanding = sentAt.length;
        }

        int outstanding() {
            return outstanding;
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            echoed(connection, data);
        }

        @Override
        public void message(Connection connection, String text) {
            echoed(connection, java.nio.charset.StandardCharsets.UTF_8.encode(text));
        }

        private void echoed(Connection connection, ByteBuffer data) {
            long now = System.nanoTime();
            if (!data.equals(message)) {
                failure = new RunFailure("echo mismatch: " + data.remaining() + " bytes back for a "
                        + message.remaining() + "-byte message, or other bytes");
                return;
            }
            if (recording) {
                latencies.recordValue(Math.min(Math.max(now - sentAt[oldest], 0), MAX_LATENCY_NANOS));
            }
            LAST_PROGRESS.setRelease(this, now);
            if (sending) {
                sentAt[oldest] = now;
                connection.send(message); // send copies the bytes, the buffer stays as it is
            } else {
                outstanding--;
            }
            oldest = oldest + 1 == sentAt.length ? 0 : oldest + 1;
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            if (sending) {
                closed = status;
            }
        }
    }
}

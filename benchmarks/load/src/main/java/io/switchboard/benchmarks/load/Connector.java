package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens the run's connections with at most {@value #MAX_PENDING} handshakes pending at once, each
 * bound to the next source address, and tracks how they end: open, failed, closed.
 */
final class Connector implements ConnectionEvents {
    static final int MAX_PENDING = 256;
    static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Options options;
    private final EventLoop loop;
    private final Traffic traffic;
    private final EchoStats stats;
    private final TrustAllTls tls;
    private final InetSocketAddress server;
    private final String hostHeader;
    private final SplittableRandom random = new SplittableRandom();
    private final String path;
    private final IntFunction<Receiver> receivers;

    private final List<Connection> connections = new ArrayList<>();
    private final List<Connection> pending = new ArrayList<>();
    private int target;
    private int started;
    private int opened;
    private int failed;
    private int openNow;
    private boolean filling;
    private String firstFailure;
    private long firstConnectNanos;
    private long lastOpenNanos;

    /** Connections to the echo path, each receiving echoes. */
    Connector(Options options, EventLoop loop, Traffic traffic, EchoStats stats) throws RunFailure {
        this(options, loop, traffic, stats, UpgradeRequest.PATH, id -> new EchoReceiver(traffic));
    }

    /** Connections to {@code path}, connection {@code id} receiving through {@code receivers.apply(id)}. */
    Connector(Options options, EventLoop loop, Traffic traffic, EchoStats stats, String path,
            IntFunction<Receiver> receivers) throws RunFailure {
        this.options = options;
        this.path = path;
        this.receivers = receivers;
        this.loop = loop;
        this.traffic = traffic;
        this.stats = stats;
        this.server = new InetSocketAddress(options.host, options.port);
        if (server.isUnresolved()) {
            throw new RunFailure("cannot resolve --host " + options.host);
        }
        this.hostHeader = options.host + ":" + options.port;
        try {
            this.tls = options.tls ? new TrustAllTls(options.tlsProtocol) : null;
        } catch (GeneralSecurityException e) {
            throw new RunFailure("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Opens {@code count} connections; returns when each is open or has failed, or fails the rest at the deadline. */
    void openAll(int count, long timeoutNanos) throws RunFailure {
        target = count;
        firstConnectNanos = System.nanoTime();
        fill();
        boolean done = loop.runUntil(firstConnectNanos + timeoutNanos, () -> opened + failed == target, this::expireHandshakes);
        if (!done) {
            for (Connection connection : new ArrayList<>(pending)) {
                connection.fail("still connecting when the connect phase timed out");
            }
            while (started < target) {
                started++;
                recordFailure("never started: the connect phase timed out");
            }
        }
    }

    /** Forgets every connection (all must be closed), so that the next {@link #openAll} starts afresh. */
    void reset() {
        connections.clear();
        pending.clear();
        started = 0;
        opened = 0;
        failed = 0;
        openNow = 0;
        firstFailure = null;
    }

    /** Starts the echo loop on every open connection. */
    void startTraffic() {
        for (Connection connection : connections) {
            connection.startTraffic();
        }
    }

    /** Closes every open connection with a closing handshake, waiting at most {@code timeoutNanos}. */
    /** Stops every connection's traffic and waits until every echo outstanding has come back. */
    void drain(long timeoutNanos) throws RunFailure {
        for (Connection connection : connections) {
            connection.stopTraffic();
        }
        boolean drained = loop.runUntil(System.nanoTime() + timeoutNanos,
                () -> connections.stream().allMatch(c -> !c.isOpen() || c.outstanding() == 0), now -> { });
        if (!drained) {
            throw new RunFailure("echoes still outstanding " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                    + " s after the traffic stopped");
        }
    }

    void closeAll(long timeoutNanos) throws RunFailure {
        for (Connection connection : connections) {
            connection.beginClose();
        }
        loop.runUntil(System.nanoTime() + timeoutNanos, () -> openNow == 0, now -> { });
        for (Connection connection : connections) {
            if (!connection.isClosed()) {
                connection.closeChannel();
            }
        }
        openNow = 0;
    }

    private void fill() {
        if (filling) {
            return;
        }
        filling = true;
        try {
            while (started < target && pending.size() < MAX_PENDING) {
                start();
            }
        } finally {
            filling = false;
        }
    }

    private void start() {
        int id = started++;
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // Lets a source address:port in TIME_WAIT from an earlier run be bound again.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(options.sources.next());
            boolean connected = channel.connect(server);
            Transport transport = tls == null
                    ? new PlainTransport(channel)
                    : new TlsTransport(channel, tls.newEngine(options.host, options.port), tlsRecordsPerBuffer());
            UpgradeRequest upgrade = new UpgradeRequest(path, hostHeader, UpgradeRequest.randomKey(random), options.deflate);
            Connection connection = new Connection(id, channel, transport, upgrade, options.raw, traffic, stats, this,
                    System.nanoTime() + HANDSHAKE_TIMEOUT_NANOS, receivers.apply(id));
            SelectionKey key = channel.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT, connection);
            connections.add(connection);
            pending.add(connection);
            connection.register(key, connected, loop.scratch());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            recordFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Bulk messages get room for several TLS records per system call; small ones keep memory low. */
    private int tlsRecordsPerBuffer() {
        return traffic.frameLength > 16 * 1024 ? 4 : 1;
    }

    private void expireHandshakes(long now) {
        for (Connection connection : new ArrayList<>(pending)) {
            if (now - connection.handshakeDeadline >= 0) {
                connection.fail("no handshake within " + TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT_NANOS) + " s");
            }
        }
    }

    @Override
    public void opened(Connection connection, long nanoTime) {
        pending.remove(connection);
        opened++;
        openNow++;
        lastOpenNanos = nanoTime;
        fill();
    }

    @Override
    public void failed(Connection connection, boolean wasOpen, String reason) {
        if (wasOpen) {
            openNow--;
            loop.abort(new RunFailure("connection " + connection.id + " failed: " + reason));
            return;
        }
        pending.remove(connection);
        recordFailure(reason);
        fill();
    }

    @Override
    public void closed(Connection connection) {
        openNow--;
    }

    private void recordFailure(String reason) {
        failed++;
        if (firstFailure == null) {
            firstFailure = reason;
        }
    }

    List<Connection> connections() {
        return connections;
    }

    int opened() {
        return opened;
    }

    int failed() {
        return failed;
    }

    String firstFailure() {
        return firstFailure;
    }

    /** From the first connect to the last successful upgrade. */
    long connectNanos() {
        return lastOpenNanos - firstConnectNanos;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was sent on it; there is nothing to clean up beyond the attempt.
            }
        }
    }
}

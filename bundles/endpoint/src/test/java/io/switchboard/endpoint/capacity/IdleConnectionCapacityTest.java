package io.switchboard.endpoint.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * Capacity: the server, with default settings, holds 10,000 concurrent idle WebSocket connections
 * on loopback, and we report how much heap each one costs.
 *
 * <p><b>Processes and descriptors.</b> The server runs in this JVM and needs one descriptor per
 * connection plus the JVM's own; the clients run in a child JVM (see {@link IdleClientFleet}),
 * which needs as many again. Both limits are read from /proc/self/limits and printed. A JVM
 * cannot raise its own RLIMIT_NOFILE from Java code (there is no setrlimit without native code;
 * HotSpot itself already lifts the soft limit to the hard one at startup, -XX:+MaxFDLimit), so for
 * this JVM the test only checks and explains; the child is started through
 * {@code sh -c 'ulimit -n <hard>; exec java ...'}, which lifts its soft limit to the hard one, and
 * the child reports clearly when even that is not enough. Client sockets are bound to source
 * addresses 127.0.0.2, 127.0.0.3, … ({@value #PER_SOURCE_ADDRESS} each) so that repeated runs do
 * not run out of ephemeral ports held in TIME_WAIT.
 *
 * <p>System properties: {@code capacity.connections} (default 10000), {@code capacity.window}
 * (handshakes in flight at once, default 256).
 */
class IdleConnectionCapacityTest {
    private static final int CONNECTIONS = Integer.getInteger("capacity.connections", 10_000);
    private static final int WINDOW = Integer.getInteger("capacity.window", 256);
    private static final int PER_SOURCE_ADDRESS = 2_000;
    /** Descriptors this JVM needs beyond one per connection: the listener, selectors, the probe, the child's pipes. */
    private static final int DESCRIPTOR_MARGIN = 200;

    /**
     * The budget is 1,000 bytes per idle connection (the endpoint benchmarks' S4 measures it); the
     * guard leaves a tenth for what one heap reading adds or takes. Today's figure is in the report.
     */
    private static final long MAX_HEAP_PER_IDLE_CONNECTION = 1_100;

    private static final long CHILD_START_SECONDS = 20;
    private static final long CONNECT_SECONDS = 30;
    private static final long CLOSE_SECONDS = 20;

    /** Held strongly: java.util.logging keeps loggers only weakly, and would drop the handler. */
    private static final Logger SERVER_LOG = Logger.getLogger("io.switchboard");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void holdsTenThousandIdleConnectionsAndReportsHeapPerConnection() throws Exception {
        long testStart = System.nanoTime();
        checkOwnDescriptorLimit();

        AtomicInteger connects = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
        CountDownLatch allConnected = new CountDownLatch(CONNECTIONS);
        CountDownLatch allDisconnected = new CountDownLatch(CONNECTIONS);
        Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
        ConnectionHandler idle = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                connects.incrementAndGet();
                allConnected.countDown();
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                closeCodes.computeIfAbsent(status.code(), code -> new AtomicInteger()).incrementAndGet();
                disconnects.incrementAndGet();
                allDisconnected.countDown();
            }
        };
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }
        };
        WarningCollector warnings = new WarningCollector();
        SERVER_LOG.addHandler(warnings);

        Path target = Path.of("target");
        Files.createDirectories(target);
        Path childErr = target.resolve("capacity-client-stderr.log");
        Process child = null;
        // Only the host, the port and the routes are set: every other setting is the default.
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/idle", idle)
                .route("/echo", echo)
                .start();
        try {
            // Warm up first: classes loaded, code paths run once, so that 'before' already holds
            // everything a first connection creates for good (caches, lambdas, loggers).
            probe(server, "warm-up");

            child = startClients(server.port(), childErr);
            BlockingQueue<String> childOut = linesOf(child.getInputStream());
            Writer childIn = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII);

            String limits = expect(childOut, "LIMITS", CHILD_START_SECONDS, child);
            System.out.println("[capacity] client process: " + limits.substring("LIMITS ".length()));
            expect(childOut, "HELLO", CHILD_START_SECONDS, child);

            long before = SettledHeap.used();
            long connectStart = System.nanoTime();
            send(childIn, "CONNECT");
            String ready = expect(childOut, "READY", CONNECT_SECONDS, child);
            assertTrue(allConnected.await(10, TimeUnit.SECONDS),
                    "only " + connects.get() + " of " + CONNECTIONS + " connect() callbacks arrived; client says " + ready);
            long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectStart);
            assertEquals(CONNECTIONS, connects.get(), "connect() callbacks");
            assertEquals(0, disconnects.get(), "connections lost while they should all be open");
            System.out.println("[capacity] " + CONNECTIONS + " connections upgraded in " + connectMillis
                    + " ms (client: " + ready + "); this JVM has " + OpenFiles.open()
                    + " descriptors open");

            long after = SettledHeap.used();
            assertEquals(0, disconnects.get(), "connections lost while idle");
            probe(server, "with " + CONNECTIONS + " idle connections open");

            long perConnection = (after - before) / CONNECTIONS;
            String line = "idle connections: " + CONNECTIONS + ", heap per idle connection: " + perConnection
                    + " bytes (before " + before + ", after " + after + ")";
            System.out.println(line);
            System.out.println("[capacity] heap measured with " + gcNames() + ", selector loops: "
                    + Runtime.getRuntime().availableProcessors() + " (default: one per processor)");
            Files.writeString(target.resolve("capacity-report.txt"), line + System.lineSeparator());

            long closeStart = System.nanoTime();
            send(childIn, "CLOSE");
            boolean allGone = allDisconnected.await(CLOSE_SECONDS, TimeUnit.SECONDS);
            String done = expect(childOut, "DONE", CLOSE_SECONDS, child);
            System.out.println("[capacity] closed in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart)
                    + " ms; client: " + done + "; disconnect() codes: " + new TreeMap<>(
                            closeCodes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
            assertTrue(allGone, "only " + disconnects.get() + " of " + CONNECTIONS
                    + " disconnect() callbacks within " + CLOSE_SECONDS + " s");
            assertEquals(CONNECTIONS, disconnects.get(), "disconnect() callbacks");
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the client process did not exit");
            assertEquals(0, child.exitValue(), "the client process' exit status");
            assertEquals(List.of(), warnings.records(), "warnings or errors logged by the server");

            assertTrue(perConnection < MAX_HEAP_PER_IDLE_CONNECTION, line + ": over the regression guard of "
                    + MAX_HEAP_PER_IDLE_CONNECTION + " bytes");
        } catch (Throwable failure) {
            printChildStderr(childErr);
            List<String> logged = warnings.records();
            if (!logged.isEmpty()) {
                System.out.println("[capacity] the server logged: " + logged);
            }
            throw failure;
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
            server.stop();
            SERVER_LOG.removeHandler(warnings);
            System.out.println("[capacity] test took " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - testStart) + " ms");
        }
    }

    /**
     * This JVM's side: one descriptor per connection plus what is open already plus a margin.
     * Java cannot call setrlimit, so a soft limit below that cannot be raised from here.
     */
    private static void checkOwnDescriptorLimit() {
        long[] limits = OpenFiles.limits();
        int open = OpenFiles.open();
        long needed = (long) Math.max(open, 0) + CONNECTIONS + DESCRIPTOR_MARGIN;
        System.out.println("[capacity] server JVM: open-file limit soft " + limits[0] + ", hard " + limits[1]
                + ", open now " + open + ", needed about " + needed + " (" + OpenFiles.limitsLine() + ")");
        if (limits[0] < 0) {
            System.out.println("[capacity] cannot read /proc/self/limits: not checking the open-file limit");
            return;
        }
        if (limits[0] < needed) {
            fail("this JVM may open only " + limits[0] + " files but needs about " + needed + " to hold " + CONNECTIONS
                    + " connections. A JVM cannot raise its own open-file limit from Java (no setrlimit without"
                    + " native code); HotSpot already raises the soft limit to the hard one at startup"
                    + " (-XX:+MaxFDLimit), so the hard limit " + limits[1] + " is what counts: start Maven from a"
                    + " shell with a higher 'ulimit -n' (raising the hard limit needs root), or run with"
                    + " -Dcapacity.connections=<fewer>.");
        }
    }

    private static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" + "));
    }

    /** Starts the client JVM through sh, which first lifts its soft open-file limit to the hard one. */
    private static Process startClients(int port, Path stderr) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String raise = "hard=$(ulimit -Hn); if ! ulimit -n \"$hard\" 2>/dev/null; then"
                + " echo \"sh: could not raise the soft open-file limit from $(ulimit -Sn) to $hard\" >&2; fi;"
                + " exec \"$@\"";
        List<String> command = new ArrayList<>(List.of("sh", "-c", raise, "sh",
                java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:+DisplayVMOutputToStderr", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                IdleClientFleet.class.getName(),
                "127.0.0.1", Integer.toString(port), "/idle", Integer.toString(CONNECTIONS),
                Integer.toString(PER_SOURCE_ADDRESS), Integer.toString(WINDOW),
                Long.toString(TimeUnit.SECONDS.toMillis(CONNECT_SECONDS)),
                Long.toString(TimeUnit.SECONDS.toMillis(CLOSE_SECONDS - 5))));
        return new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
    }

    private static BlockingQueue<String> linesOf(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("EOF " + e);
            }
            lines.add("EOF");
        }, "capacity-client-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /**
     * Waits for the child's line starting with {@code word}, passing over (and printing) lines that
     * are not part of the protocol; fails clearly on FAILED, on the child's end, or on time out.
     */
    private static String expect(BlockingQueue<String> lines, String word, long seconds, Process child)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("the client process said nothing within " + seconds + " s while we waited for " + word
                        + (child.isAlive() ? "" : "; it exited with " + child.exitValue()));
            }
            if (line.startsWith(word)) {
                return line;
            }
            if (line.startsWith("FAILED") || line.startsWith("EOF")) {
                fail("the client process said '" + line + "' while we waited for " + word
                        + (line.startsWith("EOF") ? " (it ended)" : ""));
            }
            System.out.println("[capacity] client: " + line);
        }
    }

    private static void send(Writer childIn, String command) throws IOException {
        childIn.write(command + "\n");
        childIn.flush();
    }

    /** Proves the server still answers: a fresh connection on /echo, one message there and back, a clean close. */
    private static void probe(WebSocketServer server, String when) throws IOException {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            String key = UpgradeRequest.newKey();
            client.send(UpgradeRequest.bytes("127.0.0.1:" + server.port(), "/echo", key));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead(), key);
            assertEquals(0, client.buffered(), "probe " + when + ": bytes after the 101 head");

            String text = "probe " + when;
            client.sendText(text);
            Frame echo = client.readFrame();
            assertEquals(Frames.FIN | Frames.TEXT, echo.first(), "probe " + when + ": a final text frame");
            assertEquals(text, echo.text(), "probe " + when + ": echo");

            client.sendClose(CloseStatus.NORMAL, "");
            Frame close = client.readFrame();
            assertEquals(Frames.FIN | Frames.CLOSE, close.first(), "probe " + when + ": a Close frame");
            assertEquals(CloseStatus.NORMAL, close.closeCode(), "probe " + when + ": Close 1000 echoed");
            client.expectEof(); // the server ends the TCP connection after closing
        }
    }

    private static void printChildStderr(Path stderr) {
        try {
            String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
            if (text.length() > 20_000) {
                text = text.substring(0, 20_000) + "\n... (" + stderr + " has the rest)";
            }
            System.out.println("[capacity] client process stderr (" + stderr + "):\n" + (text.isEmpty() ? "(empty)" : text));
        } catch (IOException e) {
            System.out.println("[capacity] cannot read " + stderr + ": " + e);
        }
    }

    /** Collects the server's log records at WARNING and above. */
    private static final class WarningCollector extends Handler {
        private final List<String> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && records.size() < 50) {
                records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
            }
        }

        synchronized List<String> records() {
            return new ArrayList<>(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}

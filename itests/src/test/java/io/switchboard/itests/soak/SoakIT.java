package io.switchboard.itests.soak;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.Deflater;

import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.itests.WhiteboardTestSupport;
import io.switchboard.itests.handlerbundle.NumberEchoActivator;
import io.switchboard.itests.handlerbundle.NumberEchoBundle;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.NumberClient;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;
import io.switchboard.whiteboard.SwitchboardEndpoint;

/**
 * The soak test: in Felix, an endpoint from Configuration Admin holds an idle fleet of
 * connections (a child JVM, {@link SoakFleet}), while well-behaved clients send numbered
 * messages without pause to an echo handler bundle that is updated ({@code Bundle.update})
 * again and again, and abusive clients come and go: slow readers, abrupt disconnects, giant
 * declared lengths, endless empty continuations, compression bombs and slowloris handshakes.
 * At the end: every well-behaved client got exactly 1..N in order, each abusive kind its
 * defined answer, the heap within 10 % of its warmed-up baseline, the switchboard-* threads back
 * to their count before the endpoint existed, and nothing logged at ERROR by io.switchboard.
 *
 * <p>Sizes (system properties, defaults for the normal build; {@code -Psoak} sets the long run):
 * {@code soak.connections} (idle fleet, 500), {@code soak.seconds} (20), {@code soak.swaps} (3),
 * {@code soak.clients} (well-behaved, 20), {@code soak.abuseRounds} (rounds of one client of
 * each abusive kind, 3). Felix only: skipped in the Equinox execution.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT extends WhiteboardTestSupport {
    private static final int FLEET = Integer.getInteger("soak.connections", 500);
    private static final int SECONDS = Integer.getInteger("soak.seconds", 20);
    private static final int SWAPS = Integer.getInteger("soak.swaps", 3);
    private static final int CLIENTS = Integer.getInteger("soak.clients", 20);
    private static final int ABUSE_ROUNDS = Integer.getInteger("soak.abuseRounds", 3);
    private static final int PER_SOURCE_ADDRESS = 1000;
    private static final int IN_FLIGHT = 4;
    /** Answers each warm-up client gets before the baseline is taken: every code path of the echo has run. */
    private static final int WARM_UP_ANSWERS = 1000;

    private static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_FRAGMENTS = 64;
    private static final long SEND_QUEUE_CAP = 64 * 1024;
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 1000;
    private static final int IO_TIMEOUT_MILLIS = 15_000;

    private static final String SINK = "/sink";
    private static final String FLOOD = "/flood";

    enum Kind { SLOW_READER, ABRUPT_DISCONNECT, GIANT_LENGTH, ENDLESS_CONTINUATIONS, COMPRESSION_BOMB, SLOWLORIS }

    /** What each kind must get: a close code, or for slowloris an HTTP status; abrupt: no answer (the server drops it). */
    private static final Map<Kind, Integer> EXPECTED = Map.of(
            Kind.SLOW_READER, CloseStatus.POLICY_VIOLATION,
            Kind.ABRUPT_DISCONNECT, -1,
            Kind.GIANT_LENGTH, CloseStatus.MESSAGE_TOO_BIG,
            Kind.ENDLESS_CONTINUATIONS, CloseStatus.MESSAGE_TOO_BIG,
            Kind.COMPRESSION_BOMB, CloseStatus.MESSAGE_TOO_BIG,
            Kind.SLOWLORIS, 408);

    private final Map<Kind, List<Integer>> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> serverSideCodes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger serverSideConnects = new AtomicInteger();
    private final AtomicInteger floodDisconnects1008 = new AtomicInteger();
    /** A permit per flood connection whose handler has stopped flooding it: what a slow reader waits for before it reads. */
    private final Semaphore floodsDone = new Semaphore(0);
    private Logger switchboardLogger; // held: JUL keeps loggers weakly

    @Test
    public void soak() throws Exception {
        Assume.assumeTrue("the soak test runs on Felix only",
                "org.apache.felix.framework".equals(context.getBundle(0).getSymbolicName()));
        long testStart = System.nanoTime();
        boolean loggingCaptured = captureErrors();
        int threadsBefore = switchboardThreads();

        RunningEndpoint endpoint = endpoint("soak",
                "maxMessageSize", MAX_MESSAGE,
                "maxFragments", MAX_FRAGMENTS,
                "sendLowWater", 8 * 1024L,
                "sendHighWater", 32 * 1024L,
                "sendQueueCap", SEND_QUEUE_CAP,
                "perMessageDeflate", true,
                "handshakeTimeoutMillis", HANDSHAKE_TIMEOUT_MILLIS,
                "closeTimeoutMillis", 2000L);
        int port = endpoint.port();
        register(sinkHandler(), SINK);
        register(floodHandler(), FLOOD);
        Bundle echo = context.installBundle("switchboard-itests:soak-echo", soakEcho(1));
        echo.start();
        URI numbers = URI.create("ws://127.0.0.1:" + port + NumberEchoActivator.ROUTE);

        // Warm-up: every code path once, so that the baseline holds the loaded classes and pools.
        List<NumberClient> warm = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            warm.add(NumberClient.open(numbers, IN_FLIGHT));
        }
        for (Kind kind : Kind.values()) {
            runAbuse(kind, port);
        }
        for (NumberClient client : warm) {
            client.when(c -> c.answers() >= WARM_UP_ANSWERS).get(60, TimeUnit.SECONDS);
        }
        warm.forEach(NumberClient::stopSending);
        for (NumberClient client : warm) {
            client.awaitAllAnswered(60);
            client.close();
        }
        answers.clear();
        awaitNoConnections(endpoint);
        long heapBefore = heapAfterGc();
        int threadsWarm = switchboardThreads();

        // The idle fleet.
        Process fleet = startFleet(port);
        BufferedReader fleetOut = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.US_ASCII));
        String ready = fleetOut.readLine();
        assertTrue("idle fleet: " + ready, ready != null && ready.startsWith("READY " + FLEET));

        // The well-behaved clients, the swaps and the abusive clients, all at once.
        List<NumberClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(NumberClient.open(numbers, IN_FLIGHT));
        }
        ExecutorService abusers = Executors.newCachedThreadPool();
        List<Future<?>> abuse = new ArrayList<>();
        long loadStart = System.nanoTime();
        long loadNanos = TimeUnit.SECONDS.toNanos(SECONDS);
        int swaps = 0;
        int round = 0;
        int peakThreads = switchboardThreads();
        while (swaps < SWAPS || round < ABUSE_ROUNDS || System.nanoTime() - loadStart < loadNanos) {
            long elapsed = System.nanoTime() - loadStart;
            if (round < ABUSE_ROUNDS && elapsed >= loadNanos * round / Math.max(1, ABUSE_ROUNDS)) {
                round++;
                for (Kind kind : Kind.values()) {
                    abuse.add(abusers.submit(() -> {
                        runAbuse(kind, port);
                        return null;
                    }));
                }
            }
            if (swaps < SWAPS && elapsed >= loadNanos * (swaps + 1) / (SWAPS + 1)) {
                swaps++;
                echo.update(soakEcho(swaps + 1));
                assertEquals(swaps + 1, echo.getVersion().getMajor());
            }
            peakThreads = Math.max(peakThreads, switchboardThreads());
            Thread.sleep(50);
        }
        for (Future<?> future : abuse) {
            future.get(60, TimeUnit.SECONDS);
        }
        abusers.shutdown();

        clients.forEach(NumberClient::stopSending);
        long messages = 0;
        String lastTag = "v" + (SWAPS + 1);
        for (NumberClient client : clients) {
            client.awaitAllAnswered(60);
            client.assertAnsweredOneToNInOrder(lastTag);
            messages += client.sent();
        }
        for (NumberClient client : clients) {
            client.close();
        }
        clients.clear(); // the heap measurement must not count the test's own clients
        warm.clear();
        PrintStream toFleet = new PrintStream(fleet.getOutputStream(), true, StandardCharsets.US_ASCII);
        toFleet.println("CLOSE");
        String done = fleetOut.readLine();
        assertTrue("fleet exits", fleet.waitFor(60, TimeUnit.SECONDS));
        assertEquals("idle fleet: no connection dropped by the server", "DONE dropped=0", done);

        // The old revisions of the handler bundle go, as they would after a deployment's refresh.
        refresh(echo);
        awaitNoConnections(endpoint);
        long heapAfter = heapAfterGc();
        int threadsLoaded = switchboardThreads();
        deleteEndpoint(endpoint);
        long threadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (switchboardThreads() > threadsBefore && System.nanoTime() < threadDeadline) {
            Thread.sleep(50);
        }
        int threadsAfter = switchboardThreads();
        echo.uninstall();

        Map<Kind, String> byKind = new TreeMap<>();
        for (Kind kind : Kind.values()) {
            byKind.put(kind, String.valueOf(answers.getOrDefault(kind, List.of())));
        }
        String summary = String.format("SOAK SUMMARY connections=%d (idle %d + well-behaved %d + abusive %d) messages=%d swaps=%d"
                        + " abusive=%s heapBefore=%.1fMB heapAfter=%.1fMB (%+.1f%%) threads: before endpoint=%d warm=%d peak=%d"
                        + " before delete=%d after delete=%d errorsLogged=%s duration=%ds",
                FLEET + CLIENTS + ABUSE_ROUNDS * Kind.values().length, FLEET, CLIENTS,
                ABUSE_ROUNDS * Kind.values().length, messages, swaps, counts(), heapBefore / 1e6, heapAfter / 1e6,
                100.0 * (heapAfter - heapBefore) / heapBefore, threadsBefore, threadsWarm, peakThreads,
                threadsLoaded, threadsAfter, loggingCaptured ? String.valueOf(errors.size()) : "not captured",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - testStart));
        System.out.println(summary);
        System.out.println("SOAK ANSWERS " + byKind + " server-side sink codes " + histogram(serverSideCodes));

        for (Kind kind : Kind.values()) {
            List<Integer> got = answers.getOrDefault(kind, List.of());
            assertEquals(kind + " clients", ABUSE_ROUNDS, got.size());
            assertEquals(kind + " answers", Collections.nCopies(ABUSE_ROUNDS, EXPECTED.get(kind)), got);
        }
        assertEquals("sink connections that got no disconnect callback", serverSideConnects.get(), serverSideCodes.size());
        // Server side, warm-up included: each abrupt disconnect ended as 1006, the three 1009 kinds as 1009.
        assertEquals("server-side close codes of the sink connections",
                Map.of(CloseStatus.ABNORMAL, ABUSE_ROUNDS + 1, CloseStatus.MESSAGE_TOO_BIG, 3 * (ABUSE_ROUNDS + 1)),
                histogram(serverSideCodes));
        assertEquals("slow readers (warm-up one included) the server closed with 1008", ABUSE_ROUNDS + 1,
                floodDisconnects1008.get());
        assertTrue("heap after " + heapAfter + " more than 10 % over the baseline " + heapBefore,
                heapAfter <= heapBefore * 1.10);
        assertEquals("switchboard-* threads after the endpoint went: " + threadNames(), threadsBefore, threadsAfter);
        if (loggingCaptured) {
            assertEquals("logged at ERROR", List.of(), new ArrayList<>(errors));
        }
    }

    // ------------------------------------------------------------------ abusive clients

    private void runAbuse(Kind kind, int port) throws Exception {
        int answer;
        switch (kind) {
            case SLOW_READER -> answer = slowReader(port);
            case ABRUPT_DISCONNECT -> answer = abruptDisconnect(port);
            case GIANT_LENGTH -> answer = giantLength(port);
            case ENDLESS_CONTINUATIONS -> answer = endlessContinuations(port);
            case COMPRESSION_BOMB -> answer = compressionBomb(port);
            case SLOWLORIS -> answer = slowloris(port);
            default -> throw new AssertionError(kind);
        }
        answers.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>())).add(answer);
    }

    /** Never reads while the handler floods it (until the handler has stopped); then reads everything up to the Close. */
    private int slowReader(int port) throws Exception {
        try (RawWebSocketClient client = open(port, FLOOD, 4096)) {
            floodsDone.tryAcquire(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS); // if it never comes, the answer tells
            return readCloseCode(client);
        }
    }

    /** Declares a 1000-byte message, sends 100 bytes of it and resets the connection. */
    private static int abruptDisconnect(int port) throws Exception {
        RawWebSocketClient client = open(port, SINK, 0);
        client.send(Frames.concat(client.frameHeader(true, Frames.TEXT, 1000), new byte[100]));
        client.reset();
        return -1;
    }

    /** A frame header declaring 2^40 bytes. */
    private static int giantLength(int port) throws Exception {
        try (RawWebSocketClient client = open(port, SINK, 0)) {
            client.send(client.frameHeader(true, Frames.BINARY, 1L << 40));
            return readCloseCode(client);
        }
    }

    /** A text frame without FIN, then empty continuations without end. */
    private static int endlessContinuations(int port) throws Exception {
        try (RawWebSocketClient client = open(port, SINK, 0)) {
            try {
                client.send(client.frame(false, Frames.TEXT, new byte[0]));
                for (int i = 0; i < MAX_FRAGMENTS * 4; i++) {
                    client.send(client.frame(false, Frames.CONTINUATION, new byte[0]));
                }
            } catch (IOException closedByServer) {
                // the server may close before the last ones arrive
            }
            return readCloseCode(client);
        }
    }

    /** 8 MB of zeros deflated to a few kB, in one compressed text frame. */
    private static int compressionBomb(int port) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
            client.timeout(Duration.ofMillis(IO_TIMEOUT_MILLIS));
            RawResponse response = client.upgrade(SINK, "Sec-WebSocket-Extensions: permessage-deflate");
            assertTrue("permessage-deflate negotiated: " + response, response.headers("Sec-WebSocket-Extensions").stream()
                    .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("permessage-deflate")));
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            deflater.setInput(new byte[8 * 1024 * 1024]);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
                compressed.write(chunk, 0, n);
                if (n < chunk.length && deflater.needsInput()) {
                    break;
                }
            }
            deflater.end();
            byte[] payload = compressed.toByteArray();
            int length = payload.length - 4; // without the 00 00 FF FF tail, as RFC 7692 says
            assertTrue("bomb of " + length + " bytes fits the frame limit", length < MAX_MESSAGE);
            try {
                client.send(client.frameWithFlags(Frames.FIN | Frames.RSV1, Frames.TEXT, Arrays.copyOf(payload, length)));
            } catch (IOException closedByServer) {
                // read the answer anyway
            }
            return readCloseCode(client);
        }
    }

    /** Starts a request head and trickles header lines, one each time 200 ms pass without an answer; returns the HTTP status it gets. */
    private static int slowloris(int port) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
            client.send("GET " + SINK + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            long start = System.nanoTime();
            RawResponse response = null;
            while (response == null && RawWebSocketClient.millisSince(start) < IO_TIMEOUT_MILLIS) {
                try {
                    client.send("X-Slow: 1\r\n");
                } catch (IOException closed) {
                    // the answer may already wait
                }
                try {
                    response = client.pollResponseHead(200);
                } catch (EOFException ended) {
                    break;
                }
            }
            long millis = RawWebSocketClient.millisSince(start);
            if (response == null) {
                return -2;
            }
            assertTrue("408 came after " + millis + " ms, before the handshake timeout",
                    millis >= HANDSHAKE_TIMEOUT_MILLIS - 100);
            return response.status();
        }
    }

    /** A connection upgraded on {@code path}, its reads and writes bounded by the I/O timeout. */
    private static RawWebSocketClient open(int port, String path, int receiveBuffer) throws IOException {
        RawWebSocketClient client = RawWebSocketClient.connect(new InetSocketAddress("127.0.0.1", port), receiveBuffer);
        try {
            client.timeout(Duration.ofMillis(IO_TIMEOUT_MILLIS));
            client.upgrade(path);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Reads frames up to the server's Close, answers it, and returns its code (1005 if none, -1 for the end of the stream first). */
    private static int readCloseCode(RawWebSocketClient client) throws IOException {
        try {
            Frame close = client.readUntilClose();
            try {
                client.send(client.frame(Frames.CLOSE, new byte[0]));
            } catch (IOException ignored) {
                // the server may have closed already
            }
            return close.closeCode();
        } catch (EOFException | SocketException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ handlers in the probe

    /** Accepts anything, answers nothing, remembers how each connection ended. */
    private ConnectionHandler sinkHandler() {
        return new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                serverSideConnects.incrementAndGet();
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                serverSideCodes.add(status.code());
            }
        };
    }

    /** Sends 4 kB messages on connect until the send queue refuses them. */
    private ConnectionHandler floodHandler() {
        String block = "x".repeat(4096);
        return new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                for (int i = 0; i < 4096 && connection.isOpen(); i++) {
                    if (connection.send(block).toCompletableFuture().isCompletedExceptionally()) {
                        break;
                    }
                }
                floodsDone.release();
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                if (status.code() == CloseStatus.POLICY_VIOLATION) {
                    floodDisconnects1008.incrementAndGet();
                }
            }
        };
    }

    // ------------------------------------------------------------------ measurements

    /** Captures what io.switchboard logs at ERROR (System.Logger goes to java.util.logging); checks it works. */
    private boolean captureErrors() {
        switchboardLogger = Logger.getLogger("io.switchboard");
        switchboardLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + record.getMessage()
                            + (record.getThrown() == null ? "" : " " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        System.getLogger("io.switchboard.itests.soak.check").log(System.Logger.Level.ERROR, "log-capture self-check, not an error");
        boolean works = errors.removeIf(e -> e.contains("log-capture self-check, not an error"));
        errors.clear();
        return works;
    }

    /**
     * The heap in use after a full collection: the least of five readings, each after
     * System.gc() and a pause, so that garbage made between readings does not count.
     */
    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Waits for the closing connections to be gone before a measurement. */
    private void awaitNoConnections(RunningEndpoint endpoint) throws Exception {
        SwitchboardEndpoint service = context.getService(
                context.getServiceReferences(SwitchboardEndpoint.class, endpointFilter(endpoint.name())).iterator().next());
        awaitCondition("the endpoint still has live connections", () -> service.connections().isEmpty());
    }

    /** The number-echo bundle at version {@code major}.0.0, blocking in even versions. */
    private static InputStream soakEcho(int major) throws IOException {
        return NumberEchoBundle.jar("io.switchboard.itests.soak-echo", major, major % 2 == 0);
    }

    private static int switchboardThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("switchboard-")).count();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("switchboard-")).sorted().toList();
    }

    private String counts() {
        Map<Kind, Integer> counts = new TreeMap<>();
        answers.forEach((kind, list) -> counts.put(kind, list.size()));
        return counts.toString();
    }

    private static Map<Integer, Integer> histogram(Iterable<Integer> codes) {
        Map<Integer, Integer> histogram = new TreeMap<>();
        codes.forEach(code -> histogram.merge(code, 1, Integer::sum));
        return histogram;
    }

    private void refresh(Bundle bundle) throws Exception {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle),
                event -> refreshed.countDown());
        assertTrue("refresh", refreshed.await(30, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ the idle fleet and the echo bundle

    /** The test-support bundle's jar, where the framework installed it from: the fleet's JVM needs it beside its class. */
    private static String testingJar() {
        return Path.of(URI.create(FrameworkUtil.getBundle(UpgradeRequest.class).getLocation())).toString();
    }

    private Process startFleet(int port) throws Exception {
        Path folder = Files.createTempDirectory("soak-fleet");
        String entry = SoakFleet.class.getName().replace('.', '/') + ".class";
        Path classFile = folder.resolve(entry);
        Files.createDirectories(classFile.getParent());
        try (InputStream in = SoakFleet.class.getClassLoader().getResourceAsStream(entry)) {
            Files.copy(in, classFile);
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", folder + File.pathSeparator + testingJar(), SoakFleet.class.getName(),
                "127.0.0.1", String.valueOf(port), NumberEchoActivator.ROUTE, String.valueOf(FLEET),
                String.valueOf(PER_SOURCE_ADDRESS));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }
}

package io.switchboard.itests.soak;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
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
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.itests.WhiteboardTestSupport;
import io.switchboard.itests.handlerbundle.NumberEchoActivator;
import io.switchboard.itests.handlerbundle.NumberEchoBundle;
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
        HttpClient http = HttpClient.newHttpClient();
        URI numbers = URI.create("ws://127.0.0.1:" + port + NumberEchoActivator.ROUTE);

        // Warm-up: every code path once, so that the baseline holds the loaded classes and pools.
        List<NumberClient> warm = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            warm.add(NumberClient.open(http, numbers));
        }
        for (Kind kind : Kind.values()) {
            runAbuse(kind, port);
        }
        Thread.sleep(1000);
        warm.forEach(NumberClient::stopSending);
        for (NumberClient client : warm) {
            client.awaitAllAnswered();
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
            clients.add(NumberClient.open(http, numbers));
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
            client.awaitAllAnswered();
            client.assertAnsweredOneToNInOrder(lastTag);
            messages += client.sent;
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

    /** Never reads while the handler floods it; then reads everything up to the Close. */
    private static int slowReader(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            handshake(socket, port, FLOOD, false);
            Thread.sleep(1500);
            return readCloseCode(socket);
        }
    }

    /** Declares a 1000-byte message, sends 100 bytes of it and resets the connection. */
    private static int abruptDisconnect(int port) throws Exception {
        Socket socket = new Socket();
        handshake(socket, port, SINK, false);
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 126), (byte) (1000 >> 8), (byte) (1000 & 0xFF), 1, 2, 3, 4});
        out.write(new byte[100]);
        out.flush();
        socket.setSoLinger(true, 0);
        socket.close();
        return -1;
    }

    /** A frame header declaring 2^40 bytes. */
    private static int giantLength(int port) throws Exception {
        try (Socket socket = new Socket()) {
            handshake(socket, port, SINK, false);
            OutputStream out = socket.getOutputStream();
            byte[] header = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4};
            out.write(header);
            out.flush();
            return readCloseCode(socket);
        }
    }

    /** A text frame without FIN, then empty continuations without end. */
    private static int endlessContinuations(int port) throws Exception {
        try (Socket socket = new Socket()) {
            handshake(socket, port, SINK, false);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(new byte[] {0x01, (byte) 0x80, 1, 2, 3, 4});
                for (int i = 0; i < MAX_FRAGMENTS * 4; i++) {
                    out.write(new byte[] {0x00, (byte) 0x80, 1, 2, 3, 4});
                }
                out.flush();
            } catch (IOException closedByServer) {
                // the server may close before the last ones arrive
            }
            return readCloseCode(socket);
        }
    }

    /** 8 MB of zeros deflated to a few kB, in one compressed text frame. */
    private static int compressionBomb(int port) throws Exception {
        try (Socket socket = new Socket()) {
            String response = handshake(socket, port, SINK, true);
            assertTrue("permessage-deflate negotiated: " + response, response.toLowerCase().contains("permessage-deflate"));
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
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0xC1); // FIN, RSV1, text
            frame.write(0x80 | 126);
            frame.write(length >> 8);
            frame.write(length & 0xFF);
            byte[] mask = {1, 2, 3, 4};
            frame.write(mask);
            for (int i = 0; i < length; i++) {
                frame.write(payload[i] ^ mask[i & 3]);
            }
            try {
                socket.getOutputStream().write(frame.toByteArray());
                socket.getOutputStream().flush();
            } catch (IOException closedByServer) {
                // read the answer anyway
            }
            return readCloseCode(socket);
        }
    }

    /** Starts a request head and trickles header lines; returns the HTTP status it gets. */
    private static int slowloris(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET " + SINK + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(IO_TIMEOUT_MILLIS)) {
                try {
                    out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    // the answer may already wait
                }
                try {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    response.write(b);
                    socket.setSoTimeout(IO_TIMEOUT_MILLIS);
                    byte[] rest = new byte[64];
                    int n = in.read(rest);
                    if (n > 0) {
                        response.write(rest, 0, n);
                    }
                    break;
                } catch (SocketTimeoutException notYet) {
                    // trickle on
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String head = response.toString(StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 ")) {
                return -2;
            }
            assertTrue("408 came after " + millis + " ms, before the handshake timeout",
                    millis >= HANDSHAKE_TIMEOUT_MILLIS - 100);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static String handshake(Socket socket, int port, String path, boolean deflate) throws IOException {
        if (!socket.isConnected()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
        }
        socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("handshake answer cut short: " + head);
            }
            head.append((char) b);
        }
        assertTrue("101 expected: " + head, head.toString().startsWith("HTTP/1.1 101"));
        return head.toString();
    }

    /** Reads frames up to the server's Close and returns its code (1005 if none, -1 for EOF first). */
    private static int readCloseCode(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if ((b0 & 0x0F) == 0x8) {
                    try {
                        socket.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4});
                    } catch (IOException ignored) {
                        // the server may have closed already
                    }
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : CloseStatus.NO_STATUS;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
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
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", folder.toString(), SoakFleet.class.getName(),
                "127.0.0.1", String.valueOf(port), NumberEchoActivator.ROUTE, String.valueOf(FLEET),
                String.valueOf(PER_SOURCE_ADDRESS));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return builder.start();
    }

    /** Sends 1, 2, 3 … with IN_FLIGHT unanswered at most until stopped; keeps every answer. */
    private static final class NumberClient implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private int answers;
        private int version = 1;
        private String last = "";
        private String problem;
        private final CompletableFuture<Void> allAnswered = new CompletableFuture<>();
        private volatile WebSocket socket;
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private int sent;
        private boolean stopped;

        static NumberClient open(HttpClient http, URI uri) throws Exception {
            NumberClient client = new NumberClient();
            client.socket = http.newWebSocketBuilder().buildAsync(uri, client).get(30, TimeUnit.SECONDS);
            synchronized (client) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    client.sendNext();
                }
            }
            return client;
        }

        synchronized void stopSending() {
            stopped = true;
            check();
        }

        void awaitAllAnswered() throws Exception {
            try {
                allAnswered.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                fail(this + " did not get every answer in time");
            }
        }

        synchronized void assertAnsweredOneToNInOrder(String lastTag) {
            assertFalse(this + ": the connection ended", closed.isDone());
            assertFalse(this + ": a send failed", sending.isCompletedExceptionally());
            assertEquals(this + ": answers", sent, answers);
            assertEquals(this + ": first wrong answer", null, problem);
            assertEquals(this + ": the last answers come from the last version", lastTag, "v" + version);
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                answered(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            allAnswered.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
            allAnswered.complete(null);
        }

        /** Checks each answer as it comes ("vK n", n = 1, 2, 3 …, K never going back): keeps no list. */
        private synchronized void answered(String answer) {
            answers++;
            last = answer;
            if (problem == null) {
                String[] parts = answer.split(" ");
                int v = parts.length == 2 && parts[0].startsWith("v") ? Integer.parseInt(parts[0].substring(1)) : -1;
                if (parts.length != 2 || !parts[1].equals(String.valueOf(answers))) {
                    problem = "answer " + answers + " was '" + answer + "'";
                } else if (v < version) {
                    problem = "answer " + answers + " from an older version: '" + answer + "' after v" + version;
                } else {
                    version = v;
                }
            }
            if (!stopped) {
                sendNext();
            }
            check();
        }

        private void sendNext() {
            String number = String.valueOf(++sent);
            sending = sending.thenCompose(done -> socket.sendText(number, true));
        }

        private void check() {
            if (stopped && answers == sent) {
                allAnswered.complete(null);
            }
        }

        @Override
        public synchronized String toString() {
            return "client (sent " + sent + ", answers " + answers + ", last '" + last + "'"
                    + (closed.isDone() ? ", closed " + closed : "") + ")";
        }
    }
}

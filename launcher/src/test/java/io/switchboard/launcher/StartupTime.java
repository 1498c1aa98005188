package io.switchboard.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures the packaged launcher's start, several times: from starting the process to its
 * "listening" line, and to the first WebSocket handshake on /echo that gets 101. Prints each run
 * and the medians. A measuring tool, not a test (the machine's load decides the figures); JDK only,
 * so it runs as a single source file:
 *
 * <pre>java launcher/src/test/java/io/switchboard/launcher/StartupTime.java [runs] [launcher jar]</pre>
 */
public final class StartupTime {
    private StartupTime() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path jar = Path.of(args.length > 1 ? args[1] : "launcher/target/switchboard-launcher.jar");
        List<Long> toListening = new ArrayList<>();
        List<Long> toAccept = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            long[] times = measure(jar);
            toListening.add(times[0]);
            toAccept.add(times[1]);
            System.out.printf("run %d: listening line %d ms, first accept %d ms%n", run, times[0], times[1]);
        }
        System.out.printf("median of %d: listening line %d ms, first accept %d ms%n", runs, median(toListening), median(toAccept));
    }

    /** One start: the milliseconds to the listening line and to the first 101, then SIGTERM. */
    private static long[] measure(Path jar) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path folders = Files.createTempDirectory("switchboard-startup-");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", String.valueOf(port),
                "--deploy", folders.resolve("deploy").toString(), "--etc", folders.resolve("etc").toString())
                .redirectErrorStream(true).start();
        CompletableFuture<Long> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, started, listening), "launcher-output");
        reader.setDaemon(true);
        reader.start();
        try {
            long accepted = awaitFirstAccept(port, started);
            return new long[] {listening.get(60, TimeUnit.SECONDS), accepted};
        } finally {
            process.toHandle().destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    /** Reads the launcher's output to its end, completing {@code listening} at the listening line. */
    private static void readOutput(Process process, long started, CompletableFuture<Long> listening) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("Switchboard is listening on port ")) {
                    listening.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
            listening.completeExceptionally(new IllegalStateException("the launcher ended without listening"));
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
    }

    /** Tries a handshake every 5 ms (a measuring loop: there is nothing to wait on) until one gets 101. */
    private static long awaitFirstAccept(int port, long started) throws IOException, InterruptedException {
        long deadline = started + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                byte[] status = in.readNBytes(12);
                if (new String(status, StandardCharsets.ISO_8859_1).equals("HTTP/1.1 101")) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                }
            } catch (SocketException refused) {
                // not listening yet, or reset by the launcher's probe of the port (bound only for a moment)
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no 101 within 60 s");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}

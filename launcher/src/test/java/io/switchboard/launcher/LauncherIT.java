package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;

/**
 * Runs the packaged launcher as {@code ./switchboard} does, in a child process, and talks to it
 * over real sockets.
 */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("switchboard.launcher.jar", "target/switchboard-launcher.jar"));
    private static final long START_SECONDS = 60;

    private Launched launched;

    @AfterEach
    void killLeftovers() {
        if (launched != null) {
            launched.process.destroyForcibly();
        }
    }

    @Test
    void servesTheExamplesAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        launched = Launched.start("--port", String.valueOf(port));
        String listening = launched.awaitLine("Switchboard is listening on port ");
        assertEquals("Switchboard is listening on port " + port, listening, launched.output());

        JdkWebSocketClient socket = JdkWebSocketClient.connect(URI.create("ws://localhost:" + port + "/echo"));
        assertEquals("hello, switchboard", socket.request("hello, switchboard"));

        // HTTP/1.1: by default the JDK client offers an h2c upgrade, which the endpoint answers with 400.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        if (Files.exists(JAR.resolveSibling("bundles").resolve("io.switchboard.examples.chat.jar"))) {
            launched.awaitLine("  chat: http://localhost:" + port + "/");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                    page.headers().toString());
        }

        // SIGTERM; through the handle, as Process.destroy() would also close the output pipe.
        assertTrue(launched.process.toHandle().destroy());
        assertEquals(1001, socket.awaitClose(Duration.ofSeconds(30)).code());
        assertTrue(launched.process.waitFor(30, TimeUnit.SECONDS), "still running: " + launched.output());
        launched.drained.get(10, TimeUnit.SECONDS);
        assertEquals(0, launched.process.exitValue(), launched.output());
        assertTrue(launched.output().contains("Switchboard stopped."), launched.output());
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(port)); // the port was released
        }
    }

    @Test
    void aTakenPortFailsWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            launched = Launched.start("--port", String.valueOf(port));
            assertTrue(launched.process.waitFor(START_SECONDS, TimeUnit.SECONDS), "still running: " + launched.output());
            launched.drained.get(10, TimeUnit.SECONDS);
            assertNotEquals(0, launched.process.exitValue(), launched.output());
            assertTrue(launched.output().contains("Port " + port + " is already in use"), launched.output());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** The launcher process and every line it has printed (stdout and stderr together). */
    private record Launched(Process process, List<String> lines, CompletableFuture<Void> drained) {
        static Launched start(String... arguments) throws IOException {
            assertTrue(Files.isRegularFile(JAR), JAR + " is missing; run the package phase first");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Launched launched = new Launched(process, new CopyOnWriteArrayList<>(), new CompletableFuture<>());
            Thread reader = new Thread(launched::drain, "launcher-output");
            reader.setDaemon(true);
            reader.start();
            return launched;
        }

        private void drain() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                lines.add("(reading the output failed: " + e + ")");
            }
            synchronized (lines) {
                drained.complete(null);
                lines.notifyAll();
            }
        }

        /** Waits for a line starting with {@code prefix} and returns it. */
        String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (line.startsWith(prefix)) {
                            return line;
                        }
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (drained.isDone() || left <= 0) {
                        throw new AssertionError("no line starting with '" + prefix + "' in:\n" + output());
                    }
                    lines.wait(left);
                }
            }
        }

        String output() {
            return String.join("\n", lines);
        }
    }
}

package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.testing.JdkWebSocketClient;

/**
 * Runs the packaged launcher as {@code ./switchboard} does, in a child process, and talks to it
 * over real sockets.
 */
class LauncherIT {
    private static final long START_SECONDS = 60;

    @TempDir
    Path root;
    private LaunchedSwitchboard launched;

    @AfterEach
    void killLeftovers() {
        if (launched != null) {
            launched.close();
        }
    }

    @Test
    void servesTheExamplesAndStopsCleanlyOnSigterm() throws Exception {
        int port = LaunchedSwitchboard.freePort();
        launched = LaunchedSwitchboard.start(root, "--port", String.valueOf(port));
        String listening = launched.awaitLine("Switchboard is listening on port ");
        assertEquals("Switchboard is listening on port " + port, listening, launched.output());

        JdkWebSocketClient socket = JdkWebSocketClient.connect(URI.create("ws://localhost:" + port + "/echo"));
        assertEquals("hello, switchboard", socket.request("hello, switchboard"));

        // HTTP/1.1: by default the JDK client offers an h2c upgrade, which the endpoint answers with 400.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        if (Files.exists(LaunchedSwitchboard.JAR.resolveSibling("bundles").resolve("io.switchboard.examples.chat.jar"))) {
            launched.awaitLine("  chat: http://localhost:" + port + "/");
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                    page.headers().toString());
        }

        if (Files.exists(LaunchedSwitchboard.JAR.resolveSibling("bundles").resolve(EmbeddedSwitchboard.JAKARTA_CHAT_BUNDLE + ".jar"))) {
            launched.awaitLine("  Jakarta chat: http://localhost:" + port + "/jakarta-chat");
            try (JdkWebSocketClient jakarta = JdkWebSocketClient.connect(URI.create("ws://localhost:" + port + "/jakarta-chat/lobby"))) {
                assertTrue(jakarta.awaitText().contains("\"hello\""), "the Jakarta chat greets a new session");
            }
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
            launched = LaunchedSwitchboard.start(root, "--port", String.valueOf(port));
            assertTrue(launched.process.waitFor(START_SECONDS, TimeUnit.SECONDS), "still running: " + launched.output());
            launched.drained.get(10, TimeUnit.SECONDS);
            assertNotEquals(0, launched.process.exitValue(), launched.output());
            assertTrue(launched.output().contains("Port " + port + " is already in use"), launched.output());
        }
    }
}

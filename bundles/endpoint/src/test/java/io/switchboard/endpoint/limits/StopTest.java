package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;

/**
 * Stopping closes every connection with 1001, waits for the closing handshakes at most the close
 * timeout, and releases the port and the threads, so that a new server can take the port at once.
 */
class StopTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Test
    void stopSends1001AndReleasesThePort() throws Exception {
        String name = uniqueName();
        WebSocketServer server = Servers.local().name(name).closeTimeout(Duration.ofSeconds(3))
                .route("/echo", new Recorder()).start();
        int port = server.port();
        try (RawWebSocketClient client = RawWebSocketClient.open(port, "/echo")) {
            long stopAt = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(1001, close.closeCode());
            assertEquals("server stopping", close.closeReason());
            client.sendClose(1001, "");
            client.expectEof();
            stopped.get(5, TimeUnit.SECONDS);
            long tookMillis = RawWebSocketClient.millisSince(stopAt);
            assertTrue(tookMillis < 2000, "stop took " + tookMillis + " ms though the client answered at once");
        }
        assertThreadsGone(name);
        assertEchoServerStartsOn(port);
    }

    @Test
    void stopWithASilentClientEndsItAfterTheCloseTimeout() throws Exception {
        String name = uniqueName();
        WebSocketServer server = Servers.local().name(name).route("/echo", new Recorder()).start();
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
            Frame close = client.readFrame();
            assertEquals(1001, close.closeCode(), close::toString);
            client.expectEof(); // never answering
            stopped.get(5, TimeUnit.SECONDS);
        }
        assertThreadsGone(name);
    }

    @Test
    void startStopStartOnTheSamePort() throws Exception {
        int port;
        String first = uniqueName();
        try (WebSocketServer server = Servers.local().name(first).route("/echo", new Recorder()).start()) {
            port = server.port();
            assertEchoes(port);
        }
        assertThreadsGone(first);
        for (int round = 0; round < 2; round++) {
            String name = uniqueName();
            try (WebSocketServer server = Servers.local().name(name).port(port).route("/echo", new Recorder()).start()) {
                assertEquals(port, server.port());
                assertEchoes(port);
            }
            assertThreadsGone(name);
        }
    }

    private static void assertEchoServerStartsOn(int port) throws Exception {
        try (WebSocketServer again = Servers.local().port(port).route("/echo", new Recorder()).start()) {
            assertEquals(port, again.port());
            assertEchoes(port);
        }
    }

    private static void assertEchoes(int port) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(port, "/echo")) {
            client.sendText("hello");
            assertEquals("hello", client.readFrame().text());
            client.sendClose(1000, "");
            assertEquals(1000, client.readFrame().closeCode());
            client.expectEof();
        }
    }

    private static String uniqueName() {
        return "stoptest" + NAMES.incrementAndGet() + "x";
    }

    /** The server's loops and workers are named after it; none may outlive stop(). */
    private static void assertThreadsGone(String name) {
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(thread -> thread.contains("-" + name))
                .toList();
        assertEquals(List.of(), left, "threads left after stop()");
    }
}

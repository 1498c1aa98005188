package io.switchboard.testing;

import static io.switchboard.testing.ClientsOverLoopbackTest.readHead;
import static io.switchboard.testing.ClientsOverLoopbackTest.switchingProtocols;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NumberedMessages and RouteProbe against a peer written out byte by byte on a loopback socket. */
class RoundTripsAndRouteProbeTest {
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(5000);
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    @Test
    void numberedMessagesGoOnFromCallToCallAndNameTheNumberAWrongAnswerWasFor() throws Exception {
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(5000);
                String head = readHead(socket.getInputStream());
                String key = head.lines().filter(line -> line.startsWith("Sec-WebSocket-Key: ")).findFirst()
                        .orElseThrow().substring("Sec-WebSocket-Key: ".length());
                OutputStream out = socket.getOutputStream();
                out.write(switchingProtocols(UpgradeRequest.acceptFor(key)));
                for (String answer : List.of("A 1", "A 2", "B 3", "B 5")) {
                    out.write(Frames.unmasked(Frames.FIN | Frames.TEXT, Frames.utf8(answer)));
                }
                out.flush();
                socket.getInputStream().readAllBytes(); // the client's frames, until it goes
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/n"));
        try {
            NumberedMessages numbers = NumberedMessages.over(client);
            numbers.roundTrips(2, n -> "A " + n);
            numbers.roundTrips(1, n -> "B " + n);
            assertEquals(3, numbers.answered());

            AssertionError wrong = assertThrows(AssertionError.class, () -> numbers.roundTrips(1, n -> "B " + n));
            assertEquals("the answer to the number 4 should be <B 4>, but was <B 5>", wrong.getMessage());
            assertEquals(4, numbers.sent());
            assertEquals(3, numbers.answered());
            assertThrows(IllegalArgumentException.class, () -> numbers.expect(2, n -> "B " + n),
                    "only one number is unanswered");
        } finally {
            client.abort();
        }
        peer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void routeProbeAsksWithPlainGetsUntilTheRouteIsServed() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            for (int status : new int[] {404, 503, 426}) {
                answer(status, requests);
            }
        });
        RouteProbe.awaitServed(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/hello?x=1"), Duration.ofSeconds(5));
        peer.get(5, TimeUnit.SECONDS);

        assertEquals(3, requests.size(), "one GET per answer until the 426: " + requests);
        for (String request : requests) {
            assertTrue(request.startsWith("GET /hello?x=1 HTTP/1.1\r\n"), request);
            assertFalse(request.toLowerCase().contains("upgrade"), "a plain GET, no upgrade: " + request);
        }
    }

    @Test
    void routeProbeGivesUpInTimeWithTheLastAnswer() {
        CompletableFuture.runAsync(() -> {
            while (!listener.isClosed()) {
                answer(404, new CopyOnWriteArrayList<>());
            }
        });
        long start = System.nanoTime();
        AssertionError failed = assertThrows(AssertionError.class, () -> RouteProbe.awaitServed(
                URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/nothing"), Duration.ofSeconds(2)));
        assertTrue(failed.getMessage().contains("got HTTP 404"), failed.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000, "it gave up in time");
    }

    @Test
    void routeProbeTakesOnlyWebSocketUris() {
        assertEquals(URI.create("https://h:1/p?q"), RouteProbe.httpUri(URI.create("wss://h:1/p?q")));
        assertThrows(IllegalArgumentException.class, () -> RouteProbe.httpUri(URI.create("http://h/p")));
    }

    /** Answers one plain HTTP request with {@code status} and records its head; gives up quietly once the listener is closed. */
    private void answer(int status, List<String> requests) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(5000);
            requests.add(readHead(socket.getInputStream()));
            socket.getOutputStream().write(("HTTP/1.1 " + status + " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedOrGone) {
            // the test is over
        }
    }
}

package io.switchboard.endpoint.limits;

import static io.switchboard.endpoint.limits.HeaderLimitsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * The handshake timeout runs from accept to the end of the request head, and bytes that trickle
 * in do not extend it (slowloris): past it the client gets 408 and the connection ends.
 */
class HandshakeTimeoutTest {
    private static final long TIMEOUT_MILLIS = 500;
    /** The loop checks timers every 250 ms; the rest is scheduling. */
    private static final long SLACK_MILLIS = 700;

    private final Recorder echo = new Recorder();
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = Servers.local()
                .handshakeTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .route("/echo", echo)
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void dribbledHeadGets408AtTheDeadlineFromAccept() throws Exception {
        byte[] endless = ("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "z".repeat(100))
                .getBytes(StandardCharsets.ISO_8859_1);
        long dribbleMillis = endless.length * 100L; // 10 s if nobody stops it
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            AtomicBoolean stopDribbling = new AtomicBoolean();
            Thread dribbler = new Thread(() -> dribble(client, endless, stopDribbling), "dribbler");
            dribbler.start();
            try {
                RawResponse response = client.readResponse();
                long answeredAfter = RawWebSocketClient.millisSince(client.connectedAt());
                assertError(response, "HTTP/1.1 408 Request Timeout");
                assertTrue(answeredAfter >= TIMEOUT_MILLIS - 50, "408 too early: " + answeredAfter + " ms");
                assertTrue(answeredAfter <= TIMEOUT_MILLIS + SLACK_MILLIS,
                        "408 after " + answeredAfter + " ms: the deadline was extended by the dribbled bytes");
                assertTrue(answeredAfter < dribbleMillis / 4);
                client.expectEof();
                assertTrue(RawWebSocketClient.millisSince(client.connectedAt()) <= TIMEOUT_MILLIS + SLACK_MILLIS);
            } finally {
                stopDribbling.set(true);
                dribbler.join();
            }
        }
    }

    @Test
    void silentClientGets408ThenClose() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            RawResponse response = client.readResponse();
            long answeredAfter = RawWebSocketClient.millisSince(client.connectedAt());
            assertError(response, "HTTP/1.1 408 Request Timeout");
            assertEquals("Request Timeout\n", response.bodyText());
            assertTrue(answeredAfter >= TIMEOUT_MILLIS - 50 && answeredAfter <= TIMEOUT_MILLIS + SLACK_MILLIS,
                    "408 after " + answeredAfter + " ms");
            client.expectEof();
        }
    }

    /** A head finished before the deadline is not timed out later: the timer ends with the head. */
    @Test
    void headFinishedInTimeIsNotTimedOutLater() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            String request = UpgradeRequest.to("/echo");
            int half = request.length() / 2;
            client.send(request.substring(0, half));
            Thread.sleep(TIMEOUT_MILLIS / 2); // the client dribbles, within the deadline
            client.send(request.substring(half));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            assertEquals(null, client.pollFrame(TIMEOUT_MILLIS + 400), "the open connection got a frame");
            client.sendText("still open");
            assertEquals("still open", client.readFrame().text());
        }
    }

    private static void dribble(RawWebSocketClient client, byte[] bytes, AtomicBoolean stop) {
        try {
            for (int i = 0; i < bytes.length && !stop.get(); i++) {
                client.send(new byte[] {bytes[i]});
                Thread.sleep(100); // the attack itself: one byte every 100 ms
            }
        } catch (IOException e) {
            // the server may reset the connection once it has answered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;

/**
 * The idle timeout closes silent connections with 1001; the ping keepalive pings silent
 * connections and closes with 1001 those that do not answer. Any input counts as life.
 */
class IdleAndKeepaliveTest {
    private static final long PERIOD_MILLIS = 300;
    /** The loop checks timers every 250 ms; the rest is scheduling. */
    private static final long TIMER_SLACK_MILLIS = 750;

    private final Recorder echo = new Recorder();

    @Test
    void silentClientIsClosedWith1001AfterTheIdleTimeout() throws Exception {
        try (WebSocketServer server = Servers.local().idleTimeout(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            long openAt = System.nanoTime();
            Frame close = client.readFrame();
            long after = RawWebSocketClient.millisSince(openAt);
            assertTrue(close.isClose(), close::toString);
            assertEquals(1001, close.closeCode());
            assertEquals("idle timeout", close.closeReason());
            assertTrue(after >= PERIOD_MILLIS - 50 && after <= PERIOD_MILLIS + TIMER_SLACK_MILLIS, "closed after " + after + " ms");
            client.sendClose(1001, "");
            client.expectEof();
            assertEquals(1001, echo.awaitDisconnect().status().code());
        }
    }

    /**
     * The timer sweep walks the loop's connections a slice per turn, and connections leave the
     * walk as it closes them: still every one of two thousand silent connections is reached and
     * closed by the idle timeout, none left open (one lost from the loop's list would never be).
     */
    @Test
    void everyOneOfManySilentConnectionsIsClosedByTheIdleTimeout() throws Exception {
        int count = 2_000;
        List<RawWebSocketClient> clients = new ArrayList<>();
        try (WebSocketServer server = Servers.local().idleTimeout(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start()) {
            for (int i = 0; i < count; i++) {
                clients.add(RawWebSocketClient.open(server.port(), "/echo"));
            }
            for (RawWebSocketClient client : clients) {
                Frame close = client.readFrame();
                assertTrue(close.isClose(), close::toString);
                assertEquals("idle timeout", close.closeReason());
            }
        } finally {
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void clientThatPingsMoreOftenStaysOpenPastTheIdleTimeout() throws Exception {
        try (WebSocketServer server = Servers.local().idleTimeout(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            long openAt = System.nanoTime();
            int pongs = 0;
            for (byte i = 0; RawWebSocketClient.millisSince(openAt) < 4 * PERIOD_MILLIS; i++) {
                client.sendPing(new byte[] {i});
                Frame pong = client.readFrame();
                assertEquals(Opcode.PONG, pong.opcode(), pong::toString);
                assertArrayEquals(new byte[] {i}, pong.payload());
                pongs++;
                Thread.sleep(PERIOD_MILLIS / 3); // the client's own pace
            }
            assertTrue(pongs >= 6);
            client.sendText("alive");
            assertEquals("alive", client.readFrame().text());
        }
    }

    @Test
    void silentClientIsPingedAndClosedWith1001IfItDoesNotAnswer() throws Exception {
        try (WebSocketServer server = Servers.local().pingInterval(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            long openAt = System.nanoTime();
            Frame ping = client.readFrame();
            long pingedAfter = RawWebSocketClient.millisSince(openAt);
            assertEquals(Opcode.PING, ping.opcode(), ping::toString);
            assertTrue(pingedAfter >= PERIOD_MILLIS - 50 && pingedAfter <= PERIOD_MILLIS + TIMER_SLACK_MILLIS,
                    "pinged after " + pingedAfter + " ms");

            long pingedAt = System.nanoTime();
            Frame close = client.readFrame(); // not answering
            long closedAfter = RawWebSocketClient.millisSince(pingedAt);
            assertTrue(close.isClose(), close::toString);
            assertEquals(1001, close.closeCode());
            assertEquals("no pong within 300 ms", close.closeReason());
            assertTrue(closedAfter >= PERIOD_MILLIS - 300 && closedAfter <= PERIOD_MILLIS + TIMER_SLACK_MILLIS,
                    "closed " + closedAfter + " ms after the ping");
            client.expectEof();
            assertEquals(1001, echo.awaitDisconnect().status().code());
        }
    }

    @Test
    void answeringTheKeepalivePingsKeepsTheConnectionOpen() throws Exception {
        try (WebSocketServer server = Servers.local().pingInterval(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            List<Long> pingTimes = answerPings(client, 6 * PERIOD_MILLIS);
            assertTrue(pingTimes.size() >= 2, "only " + pingTimes.size() + " keepalive pings in " + 6 * PERIOD_MILLIS + " ms");
            client.sendText("alive");
            Frame echoed = client.readFrame();
            assertEquals("alive", echoed.opcode() == Opcode.PING ? client.readFrame().text() : echoed.text());
            assertNull(echo.ended.poll());
        }
    }

    /**
     * A client that answers each ping at once is pinged again once it has been silent for the
     * interval: consecutive pings come at most two intervals apart (the loop's timer granularity
     * is below one interval here).
     */
    @Test
    void keepalivePingsFollowTheInterval() throws Exception {
        try (WebSocketServer server = Servers.local().pingInterval(Duration.ofMillis(PERIOD_MILLIS)).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            List<Long> pingTimes = answerPings(client, 8 * PERIOD_MILLIS, 3);
            assertEquals(3, pingTimes.size(), "pings at " + pingTimes + " ms");
            long averageGap = (pingTimes.get(2) - pingTimes.get(0)) / 2;
            assertTrue(averageGap <= 2 * PERIOD_MILLIS,
                    "pingInterval " + PERIOD_MILLIS + " ms, but pings came every " + averageGap + " ms: " + pingTimes);
        }
    }

    private static List<Long> answerPings(RawWebSocketClient client, long forMillis) throws IOException {
        return answerPings(client, forMillis, Integer.MAX_VALUE);
    }

    /** Answers every ping at once, for {@code forMillis} or {@code count} pings; returns when each came, in ms from now. */
    private static List<Long> answerPings(RawWebSocketClient client, long forMillis, int count) throws IOException {
        long from = System.nanoTime();
        List<Long> pingTimes = new ArrayList<>();
        while (RawWebSocketClient.millisSince(from) < forMillis && pingTimes.size() < count) {
            Frame frame = client.pollFrame(50);
            if (frame != null) {
                assertEquals(Opcode.PING, frame.opcode(), () -> "expected only pings, got " + frame);
                pingTimes.add(RawWebSocketClient.millisSince(from));
                client.sendPong(frame.payload());
            }
        }
        return pingTimes;
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.endpoint.limits.Recorder.Ended;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * The closing handshake (RFC 6455 §5.5.1, §7.1.1): the server echoes the client's Close and closes
 * TCP first; a Close it starts waits for the client's answer at most the close timeout; nothing
 * the client sends after its Close reaches the handler.
 */
class ClosingHandshakeTest {
    private static final long CLOSE_TIMEOUT_MILLIS = Servers.CLOSE_TIMEOUT.toMillis();
    private static final long TIMER_SLACK_MILLIS = 750;

    /** Echoes, and starts closing with 4000 "done" when told to. */
    private final Recorder handler = new Recorder() {
        @Override
        public void message(Connection connection, String text) {
            if (text.equals("close please")) {
                connection.close(4000, "done");
            } else {
                super.message(connection, text);
            }
        }
    };
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = Servers.local().route("/echo", handler).start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void clientCloseIsEchoedAndTheServerClosesTcpFirst() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            long sent = System.nanoTime();
            client.sendClose(1000, "bye");
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(1000, close.closeCode());
            client.expectEof(); // the client has neither closed nor half-closed its socket
            assertTrue(RawWebSocketClient.millisSince(sent) < CLOSE_TIMEOUT_MILLIS, "the server waited for the timeout");
            assertEquals(CloseStatus.of(1000, "bye"), handler.awaitDisconnect().status());
        }
    }

    @Test
    void closeWithoutCodeGetsAnEmptyClose() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(client.frame(Opcode.CLOSE, new byte[0]));
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(0, close.payload().length, "a close without code is answered without code");
            client.expectEof();
            assertEquals(CloseStatus.of(CloseStatus.NO_STATUS), handler.awaitDisconnect().status());
        }
    }

    @Test
    void serverCloseWithASilentClientEndsTcpAfterTheCloseTimeout() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendText("close please");
            Frame close = client.readFrame();
            long closeSeen = System.nanoTime();
            assertTrue(close.isClose(), close::toString);
            assertEquals(4000, close.closeCode());
            assertEquals("done", close.closeReason());
            long ended = client.expectEof(); // never answering
            long waited = (ended - closeSeen) / 1_000_000;
            assertTrue(waited >= CLOSE_TIMEOUT_MILLIS - 100, "closed after " + waited + " ms, before the close timeout");
            assertTrue(waited <= CLOSE_TIMEOUT_MILLIS + TIMER_SLACK_MILLIS, "closed after " + waited + " ms");
            assertEquals(CloseStatus.ABNORMAL, handler.awaitDisconnect().status().code(),
                    "no close frame from the peer is reported as 1006");
        }
    }

    @Test
    void serverCloseAnsweredByTheClientEndsTcpAtOnce() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendText("close please");
            Frame close = client.readFrame();
            assertEquals(4000, close.closeCode());
            long answered = System.nanoTime();
            client.sendClose(4000, "");
            long ended = client.expectEof();
            assertTrue((ended - answered) / 1_000_000 < CLOSE_TIMEOUT_MILLIS, "the server waited for the timeout");
            assertEquals(CloseStatus.of(4000, ""), handler.awaitDisconnect().status());
        }
    }

    @Test
    void dataFramesAfterTheClientsCloseAreIgnored() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(Frames.concat(
                    client.textFrame("before"),
                    client.closeFrame(1000, ""),
                    client.textFrame("after"),
                    client.frame(Opcode.PING, new byte[] {1})));
            List<Frame> frames = new ArrayList<>();
            Frame frame;
            do {
                frame = client.readFrame();
                frames.add(frame);
            } while (!frame.isClose());
            assertEquals(2, frames.size(), frames::toString);
            assertEquals("before", frames.get(0).text());
            assertEquals(1000, frames.get(1).closeCode());
            client.expectEof();
            Ended ended = handler.awaitDisconnect(); // the last callback: every message came before it
            assertEquals(1000, ended.status().code());
            assertEquals(List.of("before"), new ArrayList<>(handler.texts));
        }
    }
}

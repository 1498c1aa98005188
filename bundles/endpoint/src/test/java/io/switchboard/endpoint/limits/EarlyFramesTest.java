package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/** Frames sent in the same write as the request head belong to the frame parser: none is lost. */
class EarlyFramesTest {

    @Test
    void framesInTheSameWriteAsTheHeadAreDelivered() throws Exception {
        Recorder echo = new Recorder();
        try (WebSocketServer server = Servers.local().route("/echo", echo).start()) {
            assertEarlyFramesEchoed(server.port(), echo);
        }
    }

    /** The same through a blocking route, whose validate runs on a worker while the frames wait. */
    @Test
    void framesInTheSameWriteAsTheHeadAreDeliveredOnABlockingRoute() throws Exception {
        Recorder echo = new Recorder();
        try (WebSocketServer server = Servers.local().blockingRoute("/echo", echo).start()) {
            assertEarlyFramesEchoed(server.port(), echo);
        }
    }

    @Test
    void closeInTheSameWriteAsTheHeadIsAnswered() throws Exception {
        Recorder echo = new Recorder();
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(Frames.concat(UpgradeRequest.to("/echo").getBytes(StandardCharsets.ISO_8859_1),
                    client.closeFrame(1000, "at once")));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            Frame close = client.readFrame();
            assertEquals(Opcode.CLOSE, close.opcode());
            assertEquals(1000, close.closeCode());
            client.expectEof();
            assertEquals(CloseStatus.of(1000, "at once"), echo.awaitDisconnect().status());
        }
    }

    /** A ping the handler sends from connect must follow the 101, whatever queue it jumps. */
    @Test
    void pingFromConnectIsWrittenAfterThe101() throws Exception {
        Recorder pinging = new Recorder() {
            @Override
            public void connect(Connection connection) {
                super.connect(connection);
                connection.ping(ByteBuffer.wrap(new byte[] {42}));
            }
        };
        try (WebSocketServer server = Servers.local().route("/echo", pinging).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/echo"));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            Frame ping = client.readFrame();
            assertEquals(Opcode.PING, ping.opcode());
            assertArrayEquals(new byte[] {42}, ping.payload());
        }
    }

    /** A ping among the early frames is answered, after the 101: control frames may jump messages, not the upgrade. */
    @Test
    void pingInTheSameWriteAsTheHeadIsAnsweredAfterThe101() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", new Recorder()).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(Frames.concat(UpgradeRequest.to("/echo").getBytes(StandardCharsets.ISO_8859_1),
                    client.textFrame("first"),
                    client.frame(Opcode.PING, new byte[] {7})));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            List<Frame> frames = List.of(client.readFrame(), client.readFrame());
            assertEquals(1, frames.stream().filter(frame -> frame.opcode() == Opcode.PONG).count(), frames::toString);
            assertEquals(1, frames.stream().filter(frame -> frame.opcode() == Opcode.TEXT && frame.text().equals("first")).count(),
                    frames::toString);
        }
    }

    private static void assertEarlyFramesEchoed(int port, Recorder echo) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
            byte[] head = UpgradeRequest.to("/echo").getBytes(StandardCharsets.ISO_8859_1);
            client.send(Frames.concat(head,
                    client.textFrame("first"),
                    client.frame(false, Opcode.TEXT, Frames.utf8("sec")),
                    client.frame(true, Opcode.CONTINUATION, Frames.utf8("ond")),
                    client.frame(Opcode.BINARY, new byte[] {1, 2, 3}),
                    client.textFrame("third")));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            assertEquals("first", client.readFrame().text());
            assertEquals("second", client.readFrame().text());
            assertArrayEquals(new byte[] {1, 2, 3}, client.readFrame().payload());
            assertEquals("third", client.readFrame().text());
            assertEquals(List.of("first", "second", "third"), List.of(
                    Recorder.await(echo.texts, "text"), Recorder.await(echo.texts, "text"), Recorder.await(echo.texts, "text")));
        }
    }
}

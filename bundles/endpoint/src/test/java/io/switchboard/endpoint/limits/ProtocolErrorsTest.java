package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * The framing rules a client can break besides the limits, each answered with its close code; a
 * message sent right behind the bad frame is never delivered. (FrameLimitsTest covers the silent
 * client and the close timeout; here the client closes once the server has.)
 */
class ProtocolErrorsTest {
    private final Recorder echo = new Recorder();
    private WebSocketServer server;
    private RawWebSocketClient client;

    @BeforeEach
    void open() throws Exception {
        server = Servers.local().route("/echo", echo).start();
        client = RawWebSocketClient.open(server.port(), "/echo");
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.stop();
    }

    @Test
    void rsv1WithoutAnExtensionGets1002() throws Exception {
        assertRefused(client.frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.TEXT, Frames.utf8("x")), 1002,
                "RSV1 set without a negotiated extension");
    }

    @Test
    void rsv2Gets1002() throws Exception {
        byte[] frame = client.textFrame("x");
        frame[0] |= 0x20;
        assertRefused(frame, 1002, "RSV2 or RSV3 set");
    }

    @Test
    void continuationWithoutAMessageGets1002() throws Exception {
        assertRefused(client.frame(true, Opcode.CONTINUATION, Frames.utf8("x")), 1002,
                "continuation frame without a message to continue");
    }

    @Test
    void newMessageInsideAFragmentedOneGets1002() throws Exception {
        assertRefused(Frames.concat(client.frame(false, Opcode.TEXT, Frames.utf8("a")), client.textFrame("b")),
                1002, "new data frame inside a fragmented message");
    }

    @Test
    void fragmentedPingGets1002() throws Exception {
        byte[] ping = client.frame(Opcode.PING, new byte[] {1});
        ping[0] &= 0x7F; // clear FIN
        assertRefused(ping, 1002, "fragmented control frame");
    }

    @Test
    void nonMinimalLengthGets1002() throws Exception {
        // a 16-bit length field carrying 5, with a zero mask
        byte[] frame = {(byte) (0x80 | Opcode.TEXT), (byte) (0x80 | 126), 0, 5, 0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'};
        assertRefused(frame, 1002, "non-minimal 16-bit length 5");
    }

    @Test
    void closeWithAOneBytePayloadGets1002() throws Exception {
        assertRefused(client.frame(Opcode.CLOSE, new byte[] {3}), 1002, "close frame with a 1-byte payload");
    }

    @Test
    void closeWithAReservedCodeGets1002() throws Exception {
        assertRefused(client.frame(Opcode.CLOSE, Frames.closePayload(1005, "")), 1002, "invalid close code 1005");
    }

    @Test
    void closeWithAnInvalidUtf8ReasonGets1007() throws Exception {
        byte[] payload = {0x03, (byte) 0xE8, 'o', (byte) 0xC0, (byte) 0x80};
        assertRefused(client.frame(Opcode.CLOSE, payload), 1007, "close reason is not valid UTF-8");
    }

    /** Sends the bad bytes and a text message behind them in one write; the message must not be delivered. */
    private void assertRefused(byte[] bad, int code, String reasonPrefix) throws Exception {
        client.send(Frames.concat(bad, client.textFrame("behind")));
        FrameLimitsTest.assertFailed(client, echo, code, reasonPrefix, false);
        assertEquals(List.of(), new ArrayList<>(echo.texts), "a message behind the violation was delivered");
    }
}

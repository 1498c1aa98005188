package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.endpoint.limits.Recorder.Ended;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * Frames that break a limit or a rule fail the connection: the server sends a Close frame with
 * the code and a reason, half-closes at once, and ends the TCP connection within the close
 * timeout even if the client never answers.
 */
class FrameLimitsTest {
    private static final long CLOSE_TIMEOUT_MILLIS = Servers.CLOSE_TIMEOUT.toMillis();
    /** The loop checks timers every 250 ms; the rest is scheduling. */
    private static final long TIMER_SLACK_MILLIS = 750;

    private final Recorder echo = new Recorder();

    @Test
    void frameOverMaxFrameSizeIsRefusedFromItsHeaderAlone() throws Exception {
        try (WebSocketServer server = Servers.local().maxFrameSize(1000).maxMessageSize(4000).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendFrame(true, Opcode.BINARY, new byte[1000]);
            assertEquals(1000, client.readFrame().payload().length);

            long sent = System.nanoTime();
            client.send(client.frameHeader(true, Opcode.BINARY, 1001)); // and never the payload
            assertFailed(client, echo, 1009, "frame of 1001 bytes exceeds the limit of 1000");
            assertTrue(RawWebSocketClient.millisSince(sent) < CLOSE_TIMEOUT_MILLIS + TIMER_SLACK_MILLIS);
        }
    }

    @Test
    void messageOverMaxMessageSizeAcrossFragmentsGets1009() throws Exception {
        try (WebSocketServer server = Servers.local().maxMessageSize(1000).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(Frames.concat(
                    client.frame(false, Opcode.BINARY, new byte[500]),
                    client.frame(true, Opcode.CONTINUATION, new byte[500])));
            assertEquals(1000, client.readFrame().payload().length);

            client.send(Frames.concat(
                    client.frame(false, Opcode.BINARY, new byte[600]),
                    client.frame(true, Opcode.CONTINUATION, new byte[401])));
            assertFailed(client, echo, 1009, "message exceeds the limit of 1000 bytes");
        }
    }

    @Test
    void fragmentsOverMaxFragmentsGet1009() throws Exception {
        try (WebSocketServer server = Servers.local().maxFragments(4).route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(fragmentedText(client, 4));
            assertEquals("x".repeat(4), client.readFrame().text());

            client.send(fragmentedText(client, 5));
            assertFailed(client, echo, 1009, "message in more than 4 fragments");
        }
    }

    @Test
    void defaultMessageLimitIs1MiB() throws Exception {
        int mebibyte = 1 << 20;
        try (WebSocketServer server = Servers.local().route("/echo", echo).start()) {
            try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
                client.sendFrame(true, Opcode.BINARY, new byte[mebibyte]);
                assertEquals(mebibyte, client.readFrame().payload().length);
                client.send(client.frameHeader(true, Opcode.BINARY, mebibyte + 1));
                assertFailed(client, echo, 1009, "frame of 1048577 bytes exceeds the limit of 1048576");
            }
            try (RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
                client.send(Frames.concat(
                        client.frame(false, Opcode.BINARY, new byte[mebibyte]),
                        client.frame(true, Opcode.CONTINUATION, new byte[1])));
                assertFailed(client, echo, 1009, "message exceeds the limit of 1048576 bytes");
            }
        }
    }

    @Test
    void defaultFragmentLimitIs4096() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(fragmentedText(client, 4096));
            assertEquals(4096, client.readFrame().payload().length);

            client.send(fragmentedText(client, 4097));
            assertFailed(client, echo, 1009, "message in more than 4096 fragments");
        }
    }

    @Test
    void invalidUtf8Gets1007() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            // "é" split between two fragments is valid
            client.send(Frames.concat(
                    client.frame(false, Opcode.TEXT, new byte[] {(byte) 0xC3}),
                    client.frame(true, Opcode.CONTINUATION, new byte[] {(byte) 0xA9})));
            assertEquals("é", client.readFrame().text());

            client.sendFrame(true, Opcode.TEXT, new byte[] {'o', 'k', (byte) 0xC3, 0x28});
            assertFailed(client, echo, 1007, "text message is not valid UTF-8");
        }
    }

    /** Fail fast: the first invalid byte decides, before the message is complete. */
    @Test
    void invalidUtf8InAFirstFragmentGets1007AtOnce() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendFrame(false, Opcode.TEXT, new byte[] {'a', (byte) 0xFF});
            assertFailed(client, echo, 1007, "text message is not valid UTF-8");
        }
    }

    @Test
    void unmaskedClientFrameGets1002() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.send(Frames.unmasked(Frames.FIN | Opcode.TEXT, Frames.utf8("plain")));
            assertFailed(client, echo, 1002, "unmasked frame from a client");
        }
    }

    @Test
    void reservedDataOpcodeGets1002() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendFrame(true, 0x3, Frames.utf8("what"));
            assertFailed(client, echo, 1002, "reserved opcode 3");
        }
    }

    @Test
    void reservedControlOpcodeGets1002() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendFrame(true, 0xB, new byte[0]);
            assertFailed(client, echo, 1002, "reserved opcode 11");
        }
    }

    @Test
    void pingOf126BytesGets1002() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            client.sendPing(new byte[125]);
            assertEquals(125, client.readFrame().payload().length);
            client.sendPing(new byte[126]); // the raw client writes what the codec's own writer refuses
            assertFailed(client, echo, 1002, "control frame payload over 125 bytes");
        }
    }

    /** One text message of {@code count} one-byte fragments. */
    private static byte[] fragmentedText(RawWebSocketClient client, int count) {
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            frames[i] = client.frame(i == count - 1, i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, new byte[] {'x'});
        }
        return Frames.concat(frames);
    }

    /**
     * The connection failed: the next frame is the Close with {@code code} and a reason starting
     * with {@code reasonPrefix}; the server half-closes right after it; and, the client staying
     * silent, the server ends the TCP connection (disconnect is reported) within the close timeout.
     */
    static void assertFailed(RawWebSocketClient client, Recorder handler, int code, String reasonPrefix)
            throws IOException, InterruptedException {
        assertFailed(client, handler, code, reasonPrefix, true);
    }

    /**
     * As {@link #assertFailed(RawWebSocketClient, Recorder, int, String)}; a client that does not stay
     * silent closes its socket once it has seen the end of the stream, and the server, still
     * reading, ends the connection at once.
     */
    static void assertFailed(RawWebSocketClient client, Recorder handler, int code, String reasonPrefix, boolean staySilent)
            throws IOException, InterruptedException {
        Frame close = client.readFrame();
        long closeSeen = System.nanoTime();
        assertTrue(close.isClose(), () -> "expected a close frame, got " + close);
        assertEquals(code, close.closeCode(), close::toString);
        assertTrue(close.closeReason().startsWith(reasonPrefix), () -> close + " does not start with " + reasonPrefix);
        client.expectEof();
        assertTrue(RawWebSocketClient.millisSince(closeSeen) < CLOSE_TIMEOUT_MILLIS,
                "the server did not half-close right after its close frame");
        if (!staySilent) {
            client.hangUp();
        }
        Ended ended = handler.awaitDisconnect();
        assertEquals(code, ended.status().code(), ended::toString);
        long tcpEndedAfter = (ended.nanos() - closeSeen) / 1_000_000;
        long limit = staySilent ? CLOSE_TIMEOUT_MILLIS + TIMER_SLACK_MILLIS : CLOSE_TIMEOUT_MILLIS / 2;
        assertTrue(tcpEndedAfter <= limit, "the server ended the TCP connection " + tcpEndedAfter + " ms after its close frame");
    }
}

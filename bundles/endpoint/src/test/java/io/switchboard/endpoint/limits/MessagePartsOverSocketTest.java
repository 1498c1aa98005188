package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * Messages received in parts over a real socket: a raw client sends messages far over the
 * endpoint's message limit in many fragments; the handler gets their bytes in order as parts,
 * text cut on code points, inflated pieces bounded, pings answered between fragments, and reading
 * paused between parts.
 */
class MessagePartsOverSocketTest {
    private static final int LIMIT = 100_000;
    private static final int FRAME = 64 * 1024;

    /**
     * Receives both kinds in parts and answers the last part of each message with a text message:
     * how many parts came and what they make together (the bytes as hex of their SHA-256, or the text).
     */
    static final class PartsHandler implements ConnectionHandler {
        final List<String> parts = new CopyOnWriteArrayList<>();
        final List<Integer> sizes = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();
        volatile Connection connection;
        volatile boolean pauseAfterFirstPart;

        @Override
        public void connect(Connection connection) {
            this.connection = connection;
            connection.receiveInParts(true, true);
        }

        @Override
        public void part(Connection connection, String part, boolean last) {
            parts.add(part + (last ? "|last" : ""));
            text.append(part);
            if (last) {
                connection.send(parts.size() + " parts: " + text);
                text.setLength(0);
            }
        }

        @Override
        public void part(Connection connection, ByteBuffer data, boolean last) {
            sizes.add(data.remaining());
            parts.add(data.remaining() + (last ? "|last" : ""));
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.writeBytes(copy);
            if (pauseAfterFirstPart && parts.size() == 1) {
                connection.pauseReading();
            }
            if (last) {
                connection.send(parts.size() + " parts: " + sha256(bytes.toByteArray()));
                bytes.reset();
            }
        }

        @Override
        public void message(Connection connection, String whole) {
            connection.send("whole: " + whole);
        }
    }

    private final PartsHandler handler = new PartsHandler();

    private WebSocketServer server(boolean deflate) throws Exception {
        return Servers.local().maxMessageSize(LIMIT).maxFrameSize(FRAME).maxFragments(4).perMessageDeflate(deflate)
                .route("/parts", handler).start();
    }

    @Test
    void aBinaryMessageFarOverTheLimitArrivesInOrderedPartsWithPingsAnsweredBetween() throws Exception {
        byte[] message = random(3 << 20, 1); // 3 MiB: 32 times the message limit, in 48 fragments
        try (WebSocketServer server = server(false);
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/parts")) {
            for (int at = 0, n = 0; at < message.length; at += FRAME, n++) {
                client.send(client.frame(at + FRAME >= message.length, at == 0 ? Opcode.BINARY : Opcode.CONTINUATION,
                        java.util.Arrays.copyOfRange(message, at, at + FRAME)));
                if (n % 8 == 3) {
                    client.sendPing(new byte[] {(byte) n});
                }
            }
            int pongs = 0;
            Frame frame;
            while ((frame = client.readFrame()).opcode() == Opcode.PONG) {
                pongs++;
            }
            assertEquals(6, pongs, "each ping answered, between the fragments");
            String summary = frame.text();
            assertTrue(summary.endsWith(" parts: " + sha256(message)), summary);
            assertEquals(handler.parts.size() + " parts: " + sha256(message), summary);
            assertTrue(handler.parts.size() >= 48, "a part per fragment at least: " + handler.parts.size());
            for (int i = 0; i < handler.parts.size() - 1; i++) {
                assertFalse(handler.parts.get(i).endsWith("|last"), handler.parts.get(i));
            }
            assertTrue(handler.parts.get(handler.parts.size() - 1).endsWith("|last"));
            assertTrue(handler.sizes.stream().allMatch(size -> size <= FRAME), "a part is at most a frame");

            int before = handler.parts.size();
            client.sendText("and now a one-frame one"); // text in parts too: one part, the last
            assertEquals((before + 1) + " parts: and now a one-frame one", client.readFrame().text());
        }
    }

    @Test
    void aCodePointSplitAcrossFragmentsArrivesWholeAndInvalidUtf8LaterOnIs1007() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (WebSocketServer server = server(false);
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/parts")) {
            client.send(Frames.concat(
                    client.frame(false, Opcode.TEXT, new byte[] {'a', euro[0]}),
                    client.frame(false, Opcode.CONTINUATION, new byte[] {euro[1]}),
                    client.frame(true, Opcode.CONTINUATION, new byte[] {euro[2], 'b'})));
            assertEquals("2 parts: a€b", client.readFrame().text());
            assertEquals(List.of("a", "€b|last"), handler.parts);

            client.send(client.frame(false, Opcode.TEXT, "valid so far".getBytes(StandardCharsets.UTF_8)));
            client.send(client.frame(true, Opcode.CONTINUATION, new byte[] {'x', (byte) 0xC0, (byte) 0x80}));
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(1007, close.closeCode());
            assertEquals(List.of("a", "€b|last", "valid so far"), handler.parts, "the valid part came before the close");
        }
    }

    @Test
    void aCompressedMessageOverTheLimitArrivesInBoundedInflatedPieces() throws Exception {
        byte[] message = new byte[1 << 20]; // 1 MiB that compresses well: runs of zeros with noise between
        Random random = new Random(2);
        for (int at = 0; at < message.length; at += 4096) {
            for (int i = at; i < at + 64; i++) {
                message[i] = (byte) random.nextInt();
            }
        }
        ByteBuffer deflated = new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION).deflate(ByteBuffer.wrap(message));
        byte[] compressed = new byte[deflated.remaining()];
        deflated.get(compressed);
        int frameSize = compressed.length / 3 + 1;
        assertTrue(frameSize <= FRAME, "three frames of at most " + FRAME + ": " + compressed.length);
        try (WebSocketServer server = server(true);
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/parts", "Sec-WebSocket-Extensions: permessage-deflate"));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            List<byte[]> frames = new ArrayList<>();
            for (int at = 0; at < compressed.length; at += frameSize) {
                byte[] piece = java.util.Arrays.copyOfRange(compressed, at, Math.min(compressed.length, at + frameSize));
                boolean fin = at + frameSize >= compressed.length;
                frames.add(client.frameWithFlags((fin ? Frames.FIN : 0) | (at == 0 ? Frames.RSV1 : 0),
                        at == 0 ? Opcode.BINARY : Opcode.CONTINUATION, piece));
            }
            client.send(Frames.concat(frames.toArray(byte[][]::new)));
            String summary = client.readFrame().text();
            assertEquals(handler.parts.size() + " parts: " + sha256(message), summary);
            assertTrue(handler.parts.size() >= message.length / (32 * 1024), "parts: " + handler.parts.size());
            assertTrue(handler.sizes.stream().allMatch(size -> size <= 32 * 1024), "pieces of at most 32 KiB: " + handler.sizes);
        }
    }

    @Test
    void pauseReadingStopsThePartsUntilResumed() throws Exception {
        handler.pauseAfterFirstPart = true;
        try (WebSocketServer server = server(false);
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/parts")) {
            client.send(client.frame(false, Opcode.BINARY, new byte[1000]));
            client.send(Frames.concat(client.frame(false, Opcode.CONTINUATION, new byte[1000]),
                    client.frame(true, Opcode.CONTINUATION, new byte[1000]), client.frame(Opcode.PING, new byte[] {1})));
            // Paused, the server looks at nothing behind the first part: not even the ping.
            assertNull(client.pollFrame(500), "nothing answered while paused");
            assertEquals(List.of("1000"), handler.parts);
            handler.connection.resumeReading();
            assertEquals("3 parts: " + sha256(new byte[3000]), client.readFrame().text());
            assertEquals(Opcode.PONG, client.readFrame().opcode(), "the ping, after the parts before it");
        }
    }

    @Test
    void pauseReadingBetweenInflatedPiecesOfOneFrameResumesWithTheNextPiece() throws Exception {
        handler.pauseAfterFirstPart = true;
        byte[] message = new byte[1 << 20]; // a MiB of zeros: a frame of about a KiB, read at once
        ByteBuffer deflated = new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION).deflate(ByteBuffer.wrap(message));
        byte[] compressed = new byte[deflated.remaining()];
        deflated.get(compressed);
        try (WebSocketServer server = server(true);
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/parts", "Sec-WebSocket-Extensions: permessage-deflate"));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            client.send(client.frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.BINARY, compressed));
            assertNull(client.pollFrame(300), "nothing while paused after the first piece");
            assertEquals(List.of(String.valueOf(32 * 1024)), handler.parts);
            // Every byte of the frame was read: the rest of the message waits in the inflater, not the socket.
            handler.connection.resumeReading();
            // 32 full pieces; the output ends with the last of them, so an empty last part says so.
            assertEquals("33 parts: " + sha256(message), client.readFrame().text());
            assertEquals("0|last", handler.parts.get(32));
        }
    }

    @Test
    void anotherConnectionsReadsWhilePausedMidFrameLeaveTheRestOfTheCompressedFrameIntact() throws Exception {
        handler.pauseAfterFirstPart = true;
        byte[] message = new byte[1 << 20]; // as above: one frame, read at once, whose first piece fills before its input ends
        ByteBuffer deflated = new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION).deflate(ByteBuffer.wrap(message));
        byte[] compressed = new byte[deflated.remaining()];
        deflated.get(compressed);
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, ByteBuffer data) {
                connection.send(data);
            }
        };
        try (WebSocketServer server = Servers.local().maxMessageSize(LIMIT).maxFrameSize(FRAME).perMessageDeflate(true)
                     .route("/parts", handler).route("/echo", echo).start();
             RawWebSocketClient paused = RawWebSocketClient.connect(server.port());
             RawWebSocketClient other = RawWebSocketClient.open(server.port(), "/echo")) {
            paused.send(UpgradeRequest.to("/parts", "Sec-WebSocket-Extensions: permessage-deflate"));
            UpgradeRequest.assertSwitchingProtocols(paused.readResponseHead());
            paused.send(paused.frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.BINARY, compressed));
            assertNull(paused.pollFrame(300), "nothing while paused after the first piece");
            // The loop reads the other connection into the buffer the paused frame was read into.
            for (int i = 0; i < 4; i++) {
                byte[] noise = random(8000, i);
                other.send(other.frame(true, Opcode.BINARY, noise));
                assertArrayEquals(noise, other.readFrame().payload());
            }
            handler.connection.resumeReading();
            assertEquals("33 parts: " + sha256(message), paused.readFrame().text());
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

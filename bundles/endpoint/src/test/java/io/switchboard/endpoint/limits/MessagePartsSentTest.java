package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * Messages sent in parts ({@code Connection.sendPart}) over a real socket: one frame per part,
 * continuation frames after the first and FIN on the last, uncompressed under permessage-deflate;
 * a whole message or a part of the other kind in between refused; the JDK's client sees the parts
 * of one message.
 */
class MessagePartsSentTest {

    /**
     * {@code "bin N SIZE"}: a binary message in N parts of SIZE bytes, part i filled with i; in
     * between, a whole message and a text part are tried, and what they met is sent after the last
     * part. {@code "big"}: a whole text message large enough to be compressed.
     */
    static final class Streamer implements ConnectionHandler {
        private static final Broadcasts BROADCASTS = new Broadcasts();

        @Override
        public void message(Connection connection, String command) {
            if (command.equals("big")) {
                connection.send("x".repeat(1000));
                return;
            }
            if (command.equals("broadcast during parts")) {
                connection.sendPart(ByteBuffer.wrap(new byte[] {0}), false);
                BROADCASTS.send(List.of(connection), "broadcast"); // cannot be refused: it waits for the last part
                connection.sendPart(ByteBuffer.wrap(new byte[] {1}), true);
                return;
            }
            String[] words = command.split(" ");
            int parts = Integer.parseInt(words[1]);
            int size = Integer.parseInt(words[2]);
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                byte[] part = new byte[size];
                java.util.Arrays.fill(part, (byte) i);
                connection.sendPart(ByteBuffer.wrap(part), i == parts - 1);
                if (i == 0 && parts > 1) {
                    refused.add(refusal(() -> connection.send("whole")));
                    refused.add(refusal(() -> connection.sendPart("text", true)));
                }
            }
            connection.send("after: " + String.join(", ", refused));
        }

        private static String refusal(Runnable send) {
            try {
                send.run();
                return "sent";
            } catch (IllegalStateException expected) {
                return "refused";
            }
        }
    }

    private static WebSocketServer server(boolean deflate) throws Exception {
        return Servers.local().perMessageDeflate(deflate).route("/stream", new Streamer()).start();
    }

    @Test
    void partsGoOutAsFramesOfOneMessageAndWholeMessagesWaitForTheLast() throws Exception {
        try (WebSocketServer server = server(false);
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/stream")) {
            client.sendText("bin 3 1000");
            assertPartFrames(client, 3, 1000);
            assertEquals("after: refused, refused", client.readFrame().text());

            client.sendText("bin 1 10"); // one part: a whole message
            Frame only = client.readFrame();
            assertEquals(Opcode.BINARY, only.opcode());
            assertTrue(only.fin());
            assertEquals("after: ", client.readFrame().text());
        }
    }

    @Test
    void aBroadcastDuringThePartsFollowsTheLast() throws Exception {
        try (WebSocketServer server = server(false);
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/stream")) {
            client.sendText("broadcast during parts");
            assertPartFrames(client, 2, 1);
            assertEquals("broadcast", client.readFrame().text());
        }
    }

    @Test
    void underPermessageDeflateThePartsGoUncompressedAndLaterMessagesStillCompress() throws Exception {
        try (WebSocketServer server = server(true);
             RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/stream", "Sec-WebSocket-Extensions: permessage-deflate"));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            client.sendText("bin 4 600"); // (uncompressed, as sent: the client compresses nothing)
            assertPartFrames(client, 4, 600);
            assertEquals("after: refused, refused", client.readFrame().text());
            client.sendText("big");
            Frame big = client.readFrame();
            assertTrue(big.rsv1(), "a whole message is compressed as before: " + big);
        }
    }

    @Test
    void theJdkClientSeesThePartsOfOneMessage() throws Exception {
        try (WebSocketServer server = server(false)) {
            List<Boolean> lasts = new ArrayList<>();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<String> after = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/stream"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                            lasts.add(last);
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            received.writeBytes(bytes);
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
                            after.complete(text.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("bin 3 20000", true);
            assertEquals("after: refused, refused", after.get(10, TimeUnit.SECONDS));
            assertTrue(lasts.size() >= 3, "at least a call per part: " + lasts);
            assertTrue(lasts.get(lasts.size() - 1), "the last call ends the message");
            assertFalse(lasts.subList(0, lasts.size() - 1).contains(true), "one message: " + lasts);
            byte[] expected = new byte[60_000];
            for (int i = 0; i < 3; i++) {
                java.util.Arrays.fill(expected, i * 20_000, (i + 1) * 20_000, (byte) i);
            }
            assertArrayEquals(expected, received.toByteArray());
            socket.abort();
        }
    }

    /** Reads a binary message's frames: BINARY without FIN, continuations, FIN on the last; RSV1 clear. */
    private static void assertPartFrames(RawWebSocketClient client, int parts, int size) throws Exception {
        for (int i = 0; i < parts; i++) {
            Frame frame = client.readFrame();
            assertEquals(i == 0 ? Opcode.BINARY : Opcode.CONTINUATION, frame.opcode(), "frame " + i + ": " + frame);
            assertEquals(i == parts - 1, frame.fin(), "FIN on the last frame only: " + frame);
            assertFalse(frame.rsv1(), "parts are not compressed");
            byte[] expected = new byte[size];
            java.util.Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, frame.payload());
        }
    }
}

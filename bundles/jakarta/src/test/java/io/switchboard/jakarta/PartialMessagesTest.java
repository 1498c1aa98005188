package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A large upload streamed into a {@code MessageHandler.Partial}: many times the engine's message
 * limit and the session's buffer size, digested part by part as it arrives, while the same
 * session's whole text handler keeps its limit.
 */
class PartialMessagesTest {
    /** The engine's message limit, and so its frame limit. */
    private static final int ENGINE_LIMIT = 64 * 1024;

    /** Digests binary messages part by part and answers with their size, part count and SHA-256; echoes text whole. */
    public static class Upload extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxBinaryMessageBufferSize(1024);
            session.setMaxTextMessageBufferSize(100);
            MessageDigest digest = sha256();
            int[] partsAndBytes = new int[2];
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
                partsAndBytes[0]++;
                partsAndBytes[1] += part.remaining();
                digest.update(part);
                if (last) {
                    session.getAsyncRemote().sendText(partsAndBytes[1] + " bytes in " + partsAndBytes[0] + " parts: "
                            + HexFormat.of().formatHex(digest.digest()));
                    partsAndBytes[0] = 0;
                    partsAndBytes[1] = 0;
                }
            });
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    command(session, text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        /** {@code stream N} and {@code writer N} send N bytes or chars through the send stream or writer. */
        private static void command(Session session, String text) throws IOException {
            String[] words = text.split(" ");
            switch (words[0]) {
                case "stream" -> {
                    try (OutputStream out = session.getBasicRemote().getSendStream()) {
                        out.write(pattern(Integer.parseInt(words[1])));
                    }
                }
                case "writer" -> {
                    try (Writer out = session.getBasicRemote().getSendWriter()) {
                        out.write(emoji(Integer.parseInt(words[1])));
                    }
                }
                case "parts" -> {
                    session.getBasicRemote().sendText("first ", false);
                    String whole;
                    try {
                        session.getBasicRemote().sendText("whole");
                        whole = "sent";
                    } catch (IllegalStateException expected) {
                        whole = "refused";
                    }
                    session.getBasicRemote().sendText("then the whole one was " + whole, true);
                }
                default -> session.getAsyncRemote().sendText("whole " + text);
            }
        }
    }

    /** Partial binary messages as arrays, annotated. */
    @ServerEndpoint("/bytes")
    public static class Bytes {
        @OnMessage
        public String part(byte[] part, boolean last) {
            return part.length + ":" + last;
        }
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        return bytes;
    }

    /** Text of {@code pairs} surrogate pairs: a writer's buffer fills in the middle of one at every odd size. */
    static String emoji(int pairs) {
        return "😀".repeat(pairs);
    }

    private static Served served;
    private static Tyrus tyrus;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder().add(Tyrus.Keeper.class)
                .add(ServerEndpointConfig.Builder.create(Upload.class, "/upload").build()).add(Bytes.class).build(),
                WebSocketServer.builder().maxMessageSize(ENGINE_LIMIT));
        tyrus = new Tyrus(served);
    }

    @AfterAll
    static void stop() throws Exception {
        tyrus.close();
        served.close();
    }

    @Test
    void anUploadFarOverEveryLimitIsReceivedInPartsWhileWholeTextKeepsItsLimit() throws Exception {
        byte[] upload = new byte[4 << 20]; // 64 engine limits, 4096 session buffers
        new Random(17).nextBytes(upload);
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/upload"))) {
            assertEquals("whole small", client.request("small"));
            for (int at = 0; at < upload.length; at += ENGINE_LIMIT) {
                client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(upload, at, ENGINE_LIMIT), at + ENGINE_LIMIT == upload.length);
            }
            String summary = client.awaitText();
            assertTrue(summary.startsWith(upload.length + " bytes in "), summary);
            int parts = Integer.parseInt(summary.split(" ")[3]);
            assertTrue(parts >= 64, "a part per frame at least: " + summary);
            assertTrue(summary.endsWith(" parts: " + HexFormat.of().formatHex(sha256().digest(upload))), summary);

            client.session.getBasicRemote().sendText("x".repeat(101));
            assertEquals(1009, client.awaitClose().getCloseCode().getCode(), "the whole text handler keeps the session's limit");
        }
    }

    @Test
    void theSendStreamAndWriterSendFramesOfOneMessage() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/upload"))) {
            client.session.getBasicRemote().sendText("stream 100000");
            ByteBuffer streamed = client.awaitBinary();
            byte[] bytes = new byte[streamed.remaining()];
            streamed.get(bytes);
            assertArrayEquals(pattern(100_000), bytes);
            client.session.getBasicRemote().sendText("writer 30001");
            assertEquals(emoji(30_001), client.awaitText());
            assertEquals("first then the whole one was refused", client.request("parts"));
        }
        try (RawWebSocketClient raw = RawWebSocketClient.open(served.server.port(), "/upload")) {
            raw.sendText("stream 20000"); // 8192 + 8192 + 3616 bytes: three frames
            List<Integer> sizes = new ArrayList<>();
            Frame frame;
            do {
                frame = raw.readFrame();
                assertEquals(sizes.isEmpty() ? Frames.BINARY : Frames.CONTINUATION, frame.opcode(), frame::toString);
                sizes.add(frame.payload().length);
            } while (!frame.fin());
            assertEquals(List.of(8192, 8192, 3616), sizes);
        }
    }

    @Test
    void anAnnotatedMethodGetsBinaryPartsAsArrays() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/bytes"))) {
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[3]), false);
            assertEquals("3:false", client.awaitText());
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[4]), true);
            assertEquals("4:true", client.awaitText());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

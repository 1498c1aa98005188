package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
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
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                    session.getAsyncRemote().sendText("whole " + text));
        }
    }

    private static Served served;
    private static Tyrus tyrus;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder().add(Tyrus.Keeper.class)
                .add(ServerEndpointConfig.Builder.create(Upload.class, "/upload").build()).build(),
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

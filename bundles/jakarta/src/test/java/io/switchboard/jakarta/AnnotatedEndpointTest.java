package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.Frames;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RawWebSocketClient;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/** Annotated endpoints on a real server, driven by Tyrus's client and the JDK's. */
class AnnotatedEndpointTest {
    static final BlockingQueue<String> SEEN = new LinkedBlockingQueue<>();

    @ServerEndpoint(value = "/rooms/{room}", subprotocols = {"chat.v2", "chat.v1"},
            encoders = ChatMessage.Encoding.class, decoders = ChatMessage.Decoding.class)
    public static class Room {
        private String openedIn;

        @OnOpen
        public void open(Session session, EndpointConfig config, @PathParam("room") String room) {
            openedIn = room;
            session.getUserProperties().put("room", room);
        }

        @OnMessage
        public ChatMessage say(ChatMessage message, @PathParam("room") String room) {
            return new ChatMessage(message.from() + "@" + room + "/" + openedIn, message.text().toUpperCase());
        }

        @OnError
        public void failed(Throwable error, Session session) throws IOException {
            session.getBasicRemote().sendText("error: " + error.getClass().getSimpleName());
        }
    }

    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String text(String text) {
            return text;
        }

        @OnMessage
        public ByteBuffer binary(ByteBuffer data) {
            return data;
        }

        @OnMessage
        public void pong(PongMessage pong, Session session) throws IOException {
            session.getBasicRemote().sendText("pong:" + StandardCharsets.UTF_8.decode(pong.getApplicationData()));
        }
    }

    @ServerEndpoint("/int")
    public static class PlusOne {
        @OnMessage
        public int plusOne(int n) {
            return n + 1;
        }

        @OnError
        public void failed(Session session, Throwable error) throws IOException {
            session.getBasicRemote().sendText("error: " + error.getClass().getSimpleName());
        }
    }

    @ServerEndpoint("/streams")
    public static class Streams {
        @OnMessage
        public String read(Reader reader) throws IOException {
            StringBuilder text = new StringBuilder();
            for (int c; (c = reader.read()) >= 0; ) {
                text.insert(0, (char) c);
            }
            return text.toString();
        }

        @OnMessage
        public byte[] read(InputStream in) throws IOException {
            byte[] bytes = in.readAllBytes();
            for (int i = 0; i < bytes.length / 2; i++) {
                byte b = bytes[i];
                bytes[i] = bytes[bytes.length - 1 - i];
                bytes[bytes.length - 1 - i] = b;
            }
            return bytes;
        }
    }

    @ServerEndpoint("/partial")
    public static class Partial {
        private int parts;

        @OnMessage(maxMessageSize = 16) // for whole messages only: parts are not held
        public String part(String part, boolean last) {
            parts++;
            return parts + ":" + part + ":" + last;
        }
    }

    @ServerEndpoint("/limited")
    public static class Limited {
        @OnMessage(maxMessageSize = 16)
        public String whole(String text) {
            return "1:" + text + ":true";
        }
    }

    @ServerEndpoint("/close")
    public static class Closing {
        @OnMessage
        public void message(String text, Session session) throws IOException {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4002), "asked: " + text));
        }

        @OnClose
        public void closed(CloseReason reason, @PathParam("none") String none) {
            SEEN.add("closed " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase() + " " + none);
        }
    }

    private static Served served;
    private static Tyrus tyrus;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder().add(Tyrus.Keeper.class)
                .add(Room.class).add(Echo.class).add(PlusOne.class).add(Streams.class).add(Partial.class).add(Limited.class).add(Closing.class)
                .build());
        tyrus = new Tyrus(served);
    }

    @AfterAll
    static void stop() throws Exception {
        tyrus.close();
        served.close();
    }

    @Test
    void decodesEncodesAndReturnsWithPathParameters() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/rooms/lobby"))) {
            assertEquals("{\"from\":\"ann@lobby/lobby\",\"text\":\"HELLO \\\"YOU\\\"\"}",
                    client.request("{\"from\":\"ann\",\"text\":\"hello \\\"you\\\"\"}"));
        }
    }

    @Test
    void aDecoderFailureGoesToOnErrorAndTheSessionStaysOpen() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/rooms/kitchen"))) {
            assertEquals("error: DecodeException", client.request("not json"));
            assertEquals("error: DecodeException", client.request("{\"from\":1}"));
            assertEquals("{\"from\":\"bob@kitchen/kitchen\",\"text\":\"OK\"}", client.request("{\"from\":\"bob\",\"text\":\"ok\"}"));
        }
    }

    @Test
    void theClientsFirstSupportedSubprotocolIsChosen() {
        try (JdkWebSocketClient client = JdkWebSocketClient.to(served.uri("/rooms/a")).subprotocols("chat.v1", "chat.v2").connect()) {
            assertEquals("chat.v1", client.subprotocol());
        }
        try (JdkWebSocketClient client = JdkWebSocketClient.to(served.uri("/rooms/a")).subprotocols("other").connect()) {
            assertEquals("", client.subprotocol());
        }
    }

    @Test
    void echoesTextBinaryAndAnswersPongs() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/echo"))) {
            assertEquals("héllo", client.request("héllo"));
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), client.awaitBinary());
            client.session.getBasicRemote().sendPong(ByteBuffer.wrap("unasked".getBytes(StandardCharsets.UTF_8)));
            assertEquals("pong:unasked", client.awaitText());
        }
    }

    /**
     * Small binary messages are copied for the endpoint eight bytes at a time, larger ones in
     * bulk: lengths around every word boundary and around the switch come back byte for byte,
     * sent back to back so that they lie at different offsets in the server's read buffer.
     */
    @Test
    void binaryMessagesOfEveryLengthComeBackExactly() throws Exception {
        Random random = new Random(17);
        List<byte[]> sent = new ArrayList<>();
        for (int length = 0; length <= 40; length++) {
            sent.add(new byte[length]);
        }
        for (int length = 1016; length <= 1034; length++) {
            sent.add(new byte[length]);
        }
        sent.forEach(random::nextBytes);
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/echo"))) {
            for (byte[] message : sent) {
                client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(message));
            }
            for (byte[] message : sent) {
                assertArrayEquals(message, bytes(client.awaitBinary()), "a message of " + message.length + " bytes");
            }
        }
    }

    @Test
    void primitivesAreConvertedBothWaysAndBadOnesGoToOnError() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/int"))) {
            assertEquals("42", client.request("41"));
            assertEquals("error: DecodeException", client.request("forty-one"));
            assertEquals("-1", client.request("-2"));
        }
    }

    @Test
    void readersAndInputStreamsGetTheWholeMessage() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/streams"))) {
            assertEquals("cba", client.request("abc"));
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
            assertArrayEquals(new byte[] {4, 3, 2, 1}, bytes(client.awaitBinary()));
        }
    }

    @Test
    void aMessageSentInPartsArrivesInThoseParts() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/partial"))) {
            client.session.getBasicRemote().sendText("ab", false);
            assertEquals("1:ab:false", client.awaitText(), "the first part before the last is sent");
            client.session.getBasicRemote().sendText("cd", true);
            assertEquals("2:cd:true", client.awaitText());
        }
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/partial"))) {
            client.sendTextInPartsAsync("x", "y", "z");
            assertEquals(List.of("1:x:false", "2:y:false", "3:z:true"),
                    List.of(client.awaitText(), client.awaitText(), client.awaitText()));
        }
    }

    @Test
    void aCodePointSplitBetweenFramesComesWholeInTheNextPart() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.open(served.server.port(), "/partial")) {
            client.send(client.frame(false, Frames.TEXT, new byte[] {'a', (byte) 0xE2}));
            assertEquals("1:a:false", client.readFrame().text());
            client.send(client.frame(true, Frames.CONTINUATION, new byte[] {(byte) 0x82, (byte) 0xAC}));
            assertEquals("2:€:true", client.readFrame().text());
        }
    }

    @Test
    void aPartialMethodIsNotBoundByMaxMessageSize() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/partial"))) {
            assertEquals("1:" + "x".repeat(100) + ":true", client.request("x".repeat(100)));
        }
    }

    @Test
    void aMessageOverMaxMessageSizeClosesWith1009() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/limited"))) {
            assertEquals("1:sixteen chars!:true", client.request("sixteen chars!"));
            client.session.getBasicRemote().sendText("seventeen chars!!");
            assertEquals(1009, client.awaitClose().getCloseCode().getCode());
        }
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/limited"))) {
            client.send("ééééééé€"); // 8 characters, 7 × 2 + 3 = 17 bytes
            assertEquals(1009, client.awaitClose().code());
        }
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/limited"))) {
            assertEquals("1:éééééé€:true", client.request("éééééé€")); // 6 × 2 + 3 = 15 bytes
        }
    }

    @Test
    void closeReasonsGoBothWays() throws Exception {
        SEEN.clear();
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/close"))) {
            client.session.getBasicRemote().sendText("now");
            CloseReason reason = client.awaitClose();
            assertEquals(4002, reason.getCloseCode().getCode());
            assertEquals("asked: now", reason.getReasonPhrase());
        }
        assertEquals("closed 4002 asked: now null", SEEN.poll(10, TimeUnit.SECONDS));
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/close"))) {
            client.session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "bye"));
            assertEquals(4001, client.awaitClose().getCloseCode().getCode());
        }
        assertEquals("closed 4001 bye null", SEEN.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aTextMessageToAnEndpointWithoutTextHandlerCloses1003() {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/rooms/x"))) {
            client.sendBinary(new byte[] {1});
            assertEquals(1003, client.awaitClose().code());
        }
    }

    @Test
    void tyrusOffersSubprotocolsThroughItsConfig() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/rooms/b"),
                List.of("chat.v2"), java.util.Map.of())) {
            assertEquals("chat.v2", client.session.getNegotiatedSubprotocol());
            assertTrue(client.session.isOpen());
        }
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }
}

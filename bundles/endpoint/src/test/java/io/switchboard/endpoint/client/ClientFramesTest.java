package io.switchboard.endpoint.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.endpoint.WebSocketClient;

/**
 * The client's frames on the wire, read byte by byte by a scripted server: every one masked, each
 * with a key of its own; and what a client must do with a server's frames: assemble fragments
 * around control frames, answer pings and Close frames (masked), and fail a masked frame with 1002.
 */
class ClientFramesTest {
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        client = WebSocketClient.builder().build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** An unmasked server frame. */
    private static byte[] frame(int first, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 4);
        frame.put((byte) first);
        if (payload.length < 126) {
            frame.put((byte) payload.length);
        } else {
            frame.put((byte) 126).putShort((short) payload.length);
        }
        frame.put(payload).flip();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyFrameTheClientSendsIsMaskedWithAKeyOfItsOwn() throws Exception {
        byte[] large = new byte[70_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest().answer101();
            // The ping may overtake the messages (control frames jump the send queue); the Close comes last.
            List<ScriptedServer.Frame> frames = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                frames.add(peer.readFrame());
            }
            List<ScriptedServer.Frame> messages = frames.stream().filter(frame -> frame.opcode() < 8).toList();
            assertEquals(2, messages.size());
            ScriptedServer.Frame text = messages.get(0);
            ScriptedServer.Frame binary = messages.get(1);
            ScriptedServer.Frame ping = frames.stream().filter(frame -> frame.opcode() == 9).findFirst().orElseThrow();
            ScriptedServer.Frame close = frames.get(3);
            Set<Integer> keys = new HashSet<>();
            for (ScriptedServer.Frame frame : frames) {
                assertTrue(frame.masked(), "frame with opcode " + frame.opcode() + " is masked");
                keys.add(frame.key());
            }
            assertEquals(4, keys.size(), "a fresh key for each frame");
            assertEquals(0x81, text.first());
            assertEquals("masked ✓", text.text());
            assertEquals(0x82, binary.first());
            assertArrayEquals(large, binary.payload());
            assertEquals(0x89, ping.first());
            assertArrayEquals(new byte[] {7}, ping.payload());
            assertEquals(0x88, close.first());
            assertEquals(4003, close.closeCode());
            peer.write(frame(0x88, close.payload()));
        })) {
            Inbox inbox = new Inbox();
            Connection connection = Await.done(client.connect(server.uri("/"), inbox));

            connection.send("masked ✓");
            connection.send(ByteBuffer.wrap(large));
            connection.ping(ByteBuffer.wrap(new byte[] {7}));
            connection.close(4003, "done");

            Await.done(server.done);
            assertEquals(CloseStatus.of(4003, "done"), inbox.awaitDisconnect());
        }
    }

    @Test
    void fragmentsAreAssembledAroundPingsWhichAreAnsweredMasked() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest().answer101();
            peer.write(frame(0x01, utf8("frag")));
            peer.write(frame(0x89, utf8("between")));
            peer.write(frame(0x00, utf8("men")));
            peer.write(frame(0x80, utf8("ted")));
            peer.write(frame(0x02, new byte[] {1, 2})); // binary, not final
            peer.write(frame(0x80, new byte[] {3})); // the final continuation
            ScriptedServer.Frame pong = peer.readFrame();
            assertTrue(pong.masked());
            assertEquals(0x8A, pong.first());
            assertEquals("between", pong.text());
            peer.write(frame(0x88, new byte[] {(byte) (4002 >> 8), (byte) 4002, 'b', 'y', 'e'}));
            ScriptedServer.Frame close = peer.readFrame();
            assertTrue(close.masked());
            assertEquals(4002, close.closeCode(), "the client echoes the server's code");
        })) {
            Inbox inbox = new Inbox();
            Await.done(client.connect(server.uri("/"), inbox));

            assertEquals("fragmented", Await.take(inbox.texts));
            assertArrayEquals(new byte[] {1, 2, 3}, Await.take(inbox.binaries));
            Await.done(server.done);
            assertEquals(CloseStatus.of(4002, "bye"), inbox.awaitDisconnect());
        }
    }

    @Test
    void aMaskedFrameFromTheServerFailsTheConnectionWith1002() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest().answer101();
            peer.write(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2});
            ScriptedServer.Frame close = peer.readFrame();
            assertTrue(close.masked());
            assertEquals(0x88, close.first());
            assertEquals(CloseStatus.PROTOCOL_ERROR, close.closeCode());
            // A failing client, too, leaves the end of TCP to the server (RFC 6455 §7.1.1); the
            // script's end closes the socket, and the client's disconnect follows
            assertTrue(peer.clientStays(300), "the client waits for the server's end of TCP");
        })) {
            Inbox inbox = new Inbox();
            Await.done(client.connect(server.uri("/"), inbox));

            Await.done(server.done);
            assertEquals(CloseStatus.PROTOCOL_ERROR, inbox.awaitDisconnect().code());
            assertTrue(inbox.texts.isEmpty(), "the masked message was not delivered");
        }
    }

    @Test
    void framesRightBehindThe101AreDeliveredAfterConnect() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest();
            String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + peer.accept() + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] first = frame(0x81, utf8("early"));
            byte[] both = java.util.Arrays.copyOf(headBytes, headBytes.length + first.length);
            System.arraycopy(first, 0, both, headBytes.length, first.length);
            peer.write(both); // one write: the frame arrives in the same read as the head
            peer.readFrame(); // the client's Close
        })) {
            Inbox inbox = new Inbox();
            Connection connection = Await.done(client.connect(server.uri("/"), inbox));

            assertEquals("early", Await.take(inbox.texts));
            connection.close();
            Await.done(server.done);
        }
    }

    @Test
    void theKeepaliveMasksItsPingAndClosesWith1001WhenNoPongComes() throws Exception {
        try (WebSocketClient pinging = WebSocketClient.builder().pingInterval(java.time.Duration.ofMillis(300)).build();
             ScriptedServer server = new ScriptedServer(peer -> {
                 peer.readRequest().answer101();
                 ScriptedServer.Frame ping = peer.readFrame();
                 assertTrue(ping.masked());
                 assertEquals(0x89, ping.first());
                 ScriptedServer.Frame close = peer.readFrame(); // no pong sent
                 assertTrue(close.masked());
                 assertEquals(CloseStatus.GOING_AWAY, close.closeCode());
             })) {
            Inbox inbox = new Inbox();
            Await.done(pinging.connect(server.uri("/"), inbox));

            Await.done(server.done);
            assertEquals(CloseStatus.GOING_AWAY, inbox.awaitDisconnect().code());
        }
    }

    @Test
    void aMessageOverTheClientsLimitIsRefusedWith1009() throws Exception {
        try (WebSocketClient limited = WebSocketClient.builder().maxMessageSize(1000).build();
             ScriptedServer server = new ScriptedServer(peer -> {
                 peer.readRequest().answer101();
                 peer.write(frame(0x82, new byte[1001]));
                 ScriptedServer.Frame close = peer.readFrame();
                 assertTrue(close.masked());
                 assertEquals(CloseStatus.MESSAGE_TOO_BIG, close.closeCode());
             })) {
            Inbox inbox = new Inbox();
            Await.done(limited.connect(server.uri("/"), inbox));

            Await.done(server.done);
            assertEquals(CloseStatus.MESSAGE_TOO_BIG, inbox.awaitDisconnect().code());
            assertTrue(inbox.binaries.isEmpty());
        }
    }

    @Test
    void afterTheClosingHandshakeTheClientLetsTheServerCloseTcpFirst() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest().answer101();
            ScriptedServer.Frame close = peer.readFrame();
            peer.write(frame(0x88, close.payload()));
            assertTrue(peer.clientStays(300), "the client waits for the server's end of TCP (RFC 6455 §7.1.1)");
        })) {
            Inbox inbox = new Inbox();
            Connection connection = Await.done(client.connect(server.uri("/"), inbox));

            connection.close(CloseStatus.NORMAL, "bye");

            Await.done(server.done); // the script returns and closes its socket: only now may the client's end come
            assertEquals(CloseStatus.of(CloseStatus.NORMAL, "bye"), inbox.awaitDisconnect());
        }
    }
}

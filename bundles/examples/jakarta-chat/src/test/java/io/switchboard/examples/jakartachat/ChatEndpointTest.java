package io.switchboard.examples.jakartachat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The Jakarta chat over real sockets: {@link ChatEndpoint} deployed by {@link JakartaEndpoints}
 * on a plain-Java server, driven by the JDK's WebSocket client. Every expected message is the
 * exact JSON text, so the encoder is checked along with the chat.
 */
class ChatEndpointTest {
    private final ChatRooms rooms = new ChatRooms();
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private JakartaEndpoints endpoints;
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        endpoints = JakartaEndpoints.builder().add(ChatEndpoint.config(rooms)).build();
        server = WebSocketServer.builder().name("jakarta-chat-test").host("127.0.0.1").port(0)
                .router(endpoints).httpHandler(new ChatPage()).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkWebSocketClient::close);
        server.stop();
        endpoints.close();
    }

    private JdkWebSocketClient connect(String room) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/jakarta-chat/" + room));
        clients.add(client);
        client.expectText("{\"type\":\"hello\",\"room\":\"" + room + "\"}");
        return client;
    }

    /** Connects and joins; the welcome lists who is online, {@code nickname} last. */
    private JdkWebSocketClient join(String room, String nickname, String onlineJson) {
        JdkWebSocketClient client = connect(room);
        client.send(join(nickname));
        client.expectText("{\"type\":\"welcome\",\"room\":\"" + room + "\",\"nickname\":\"" + nickname
                + "\",\"online\":" + onlineJson + "}");
        return client;
    }

    private static String join(String nickname) {
        return "{\"type\":\"join\",\"nickname\":\"" + nickname + "\"}";
    }

    private static String say(String text) {
        return "{\"type\":\"say\",\"text\":\"" + text + "\"}";
    }

    private static String message(String from, String text) {
        return "{\"type\":\"message\",\"from\":\"" + from + "\",\"text\":\"" + text + "\"}";
    }

    private static String error(String reason) {
        return "{\"type\":\"error\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void membersJoinChatAndSeeEachOtherComeAndGo() {
        JdkWebSocketClient alice = join("lobby", "alice", "[\"alice\"]");
        JdkWebSocketClient bob = join("lobby", "bob", "[\"alice\",\"bob\"]");
        alice.expectText("{\"type\":\"joined\",\"nickname\":\"bob\"}");

        bob.send(say("hello alice"));
        bob.expectText(message("bob", "hello alice"));
        alice.expectText(message("bob", "hello alice"));
        assertEquals(List.of("alice", "bob"), rooms.nicknames("lobby"));

        bob.closeAsync(1000, "bye");
        assertEquals(1000, bob.awaitClose().code());
        alice.expectText("{\"type\":\"left\",\"nickname\":\"bob\"}");
        assertEquals(List.of("alice"), rooms.nicknames("lobby"));
        // bob's nickname is free again.
        join("lobby", "BOB", "[\"alice\",\"BOB\"]");
        alice.expectText("{\"type\":\"joined\",\"nickname\":\"BOB\"}");
    }

    @Test
    void roomsAreIsolated() {
        JdkWebSocketClient alice = join("lobby", "alice", "[\"alice\"]");
        // The same nickname in another room is another member.
        JdkWebSocketClient otherAlice = join("kitchen", "alice", "[\"alice\"]");
        JdkWebSocketClient carol = join("kitchen", "carol", "[\"alice\",\"carol\"]");
        otherAlice.expectText("{\"type\":\"joined\",\"nickname\":\"carol\"}");

        carol.send(say("in the kitchen"));
        carol.expectText(message("carol", "in the kitchen"));
        otherAlice.expectText(message("carol", "in the kitchen"));
        // The lobby heard nothing of it: alice's next message is her own.
        alice.send(say("in the lobby"));
        alice.expectText(message("alice", "in the lobby"));
        carol.send(say("still here"));
        carol.expectText(message("carol", "still here"));
        otherAlice.expectText(message("carol", "still here"));

        assertEquals(Set.of("lobby", "kitchen"), rooms.rooms());
        assertEquals(List.of("alice"), rooms.nicknames("lobby"));
        assertEquals(List.of("alice", "carol"), rooms.nicknames("kitchen"));
    }

    @Test
    void badMessagesAreAnsweredAndChangeNothing() {
        JdkWebSocketClient alice = join("lobby", "alice", "[\"alice\"]");
        JdkWebSocketClient bob = connect("lobby");

        bob.send("hello");
        bob.expectText(error("bad JSON at character 0: '{' was expected"));
        bob.send("{\"type\":\"join\",\"nickname\":\"bob\"} trailing");
        bob.expectText(error("bad JSON at character 33: nothing may follow the object"));
        bob.send("{\"type\":\"say\",\"text\":1}");
        bob.expectText(error("bad JSON at character 21: a string was expected (every value is a string)"));
        bob.send("{\"type\":\"say\",\"type\":\"join\"}");
        bob.expectText(error("the member \\\"type\\\" comes twice"));
        bob.send("{\"type\":\"dance\"}");
        bob.expectText(error("unknown type \\\"dance\\\""));
        bob.send("{\"type\":\"join\"}");
        bob.expectText(error("the member \\\"nickname\\\" is missing"));
        bob.send("{\"type\":\"say\",\"text\":\"\\ud800\"}");
        bob.expectText(error("bad JSON at character 29: a string holds half a surrogate pair"));
        bob.send(say("not yet"));
        bob.expectText(error("join first"));
        bob.send(join("bob smith"));
        bob.expectText(error("invalid nickname: use 1 to 20 letters, digits, _ or -"));
        bob.send(join("x".repeat(ChatEndpoint.MAX_NICKNAME + 1)));
        bob.expectText(error("invalid nickname: use 1 to 20 letters, digits, _ or -"));
        bob.send(join("ALICE"));
        bob.expectText(error("nickname taken: ALICE"));

        bob.send(join("bob"));
        bob.expectText("{\"type\":\"welcome\",\"room\":\"lobby\",\"nickname\":\"bob\",\"online\":[\"alice\",\"bob\"]}");
        bob.send(join("bobby"));
        bob.expectText(error("already joined as bob"));
        bob.send(say("x".repeat(ChatEndpoint.MAX_TEXT + 1)));
        bob.expectText(error("text too long: at most 2000 characters"));
        bob.send(say(" \\t "));
        bob.send(say("x".repeat(ChatEndpoint.MAX_TEXT)));
        bob.expectText(message("bob", "x".repeat(ChatEndpoint.MAX_TEXT)));

        // alice saw bob join and his one message: none of the refused ones, nor the blank one.
        alice.expectText("{\"type\":\"joined\",\"nickname\":\"bob\"}");
        alice.expectText(message("bob", "x".repeat(ChatEndpoint.MAX_TEXT)));
        alice.send(say("ok"));
        alice.expectText(message("alice", "ok"));
        assertEquals(List.of("alice", "bob"), rooms.nicknames("lobby"));
    }

    @Test
    void textIsEscapedBothWaysAndControlCharactersBecomeSpaces() {
        JdkWebSocketClient alice = join("lobby", "alice", "[\"alice\"]");
        alice.send("{ \"text\" : \"say \\\"hi\\\" \\\\ \\u00e9\\u263a \\ud83d\\ude00\\nnext\\/line\", \"type\":\"say\" }");
        alice.expectText(message("alice", "say \\\"hi\\\" \\\\ \u00e9\u263a \ud83d\ude00 next/line"));
    }

    @Test
    void limitsCloseTheSession() {
        JdkWebSocketClient big = connect("lobby");
        big.send(say("x".repeat(ChatEndpoint.MAX_MESSAGE_BYTES)));
        assertEquals(1009, big.awaitClose().code());

        JdkWebSocketClient binary = connect("lobby");
        binary.sendBinary(new byte[] {1, 2, 3});
        assertEquals(1003, binary.awaitClose().code());

        JdkWebSocketClient badRoom = JdkWebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port() + "/jakarta-chat/" + "r".repeat(ChatEndpoint.MAX_ROOM + 1)));
        clients.add(badRoom);
        JdkWebSocketClient.Closed closed = badRoom.awaitClose();
        assertEquals(1008, closed.code());
        assertEquals("invalid room name", closed.reason());
        assertTrue(rooms.rooms().isEmpty(), "nobody joined: " + rooms.rooms());
    }
}

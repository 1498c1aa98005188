package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;

/** The chat room over real sockets: a plain-Java server and the JDK's WebSocket clients. */
class ChatHandlerTest {
    private final ChatHandler chat = new ChatHandler(new Broadcasts());
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private WebSocketServer server;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        server = WebSocketServer.builder().name("chat-test").host("127.0.0.1").port(0)
                .route("/chat", chat).httpHandler(new ChatPage()).start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Connects and joins as {@code nickname}, consuming the lines of the joining. */
    private JdkWebSocketClient join(String nickname) {
        JdkWebSocketClient client = connect();
        client.send(nickname);
        client.expectText("+ " + nickname);
        client.expectText("* " + nickname + " joined");
        client.awaitTextMatching(line -> line.startsWith("* online: "));
        return client;
    }

    /** Connects and consumes the server's prompt for a nickname. */
    private JdkWebSocketClient connect() {
        JdkWebSocketClient client = JdkWebSocketClient.connect(uri);
        clients.add(client);
        client.expectText("? pick a nickname");
        return client;
    }

    @Test
    void joinAndLeaveAreAnnouncedToEveryone() {
        JdkWebSocketClient alice = connect();
        alice.send("alice");
        alice.expectText("+ alice");
        alice.expectText("* alice joined");
        alice.expectText("* online: alice");

        JdkWebSocketClient bob = connect();
        bob.send("/nick bob");
        bob.expectText("+ bob");
        bob.expectText("* bob joined");
        bob.expectText("* online: alice, bob");
        alice.expectText("* bob joined");

        bob.close();
        alice.expectText("* bob left");
        assertEquals(List.of("alice"), chat.nicknames());
    }

    @Test
    void messagesGoToEveryMemberIncludingTheSender() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient bob = join("bob");
        alice.expectText("* bob joined");
        JdkWebSocketClient carol = join("carol");
        alice.expectText("* carol joined");
        bob.expectText("* carol joined");

        bob.send("hello, <b>world</b>");
        for (JdkWebSocketClient client : List.of(alice, bob, carol)) {
            client.expectText("bob: hello, <b>world</b>");
        }
        carol.send("//slash is text");
        carol.send("two\nlines");
        for (JdkWebSocketClient client : List.of(alice, bob, carol)) {
            client.expectText("carol: /slash is text");
            client.expectText("carol: two lines");
        }
    }

    @Test
    void nicknamesAreValidatedAndUniqueIgnoringCase() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient other = connect();

        other.send("ALICE");
        other.expectText("! nickname taken: ALICE");
        other.send("no spaces");
        other.expectText("! invalid nickname: use 1 to 20 letters, digits, _ or -");
        other.send("x".repeat(21));
        other.expectText("! invalid nickname: use 1 to 20 letters, digits, _ or -");
        other.send("/nick");
        other.expectText("! usage: /nick name");
        other.send("/shout hi");
        other.expectText("! unknown command: /shout");
        other.send("Bob_the-2nd_x1234567");
        other.expectText("+ Bob_the-2nd_x1234567");
        other.expectText("* Bob_the-2nd_x1234567 joined");
        alice.expectText("* Bob_the-2nd_x1234567 joined");

        // Errors went to the offender only.
        assertEquals(List.of(), alice.drainEvents());
    }

    @Test
    void renameIsAnnouncedAndFreesTheOldName() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient bob = join("bob");
        alice.expectText("* bob joined");

        bob.send("/nick alice");
        bob.expectText("! nickname taken: alice");
        bob.send("/nick robert");
        bob.expectText("+ robert");
        bob.expectText("* bob is now known as robert");
        alice.expectText("* bob is now known as robert");

        JdkWebSocketClient newBob = join("bob");
        alice.expectText("* bob joined");
        bob.expectText("* bob joined");
        bob.send("call me robert");
        for (JdkWebSocketClient client : List.of(alice, bob, newBob)) {
            client.expectText("robert: call me robert");
        }
        assertEquals(List.of("alice", "robert", "bob"), chat.nicknames());
    }

    @Test
    void stateIsPerConnection() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient lurker = connect();

        // A connection that has not joined picks a nickname with its first message; it sees no chat.
        alice.send("anyone?");
        alice.expectText("alice: anyone?");
        lurker.send("bob");
        lurker.expectText("+ bob");
        lurker.expectText("* bob joined");
        alice.expectText("* bob joined");
        // Once joined, the same text is a message, not a nickname.
        lurker.awaitTextMatching(line -> line.startsWith("* online: "));
        lurker.send("bob");
        lurker.expectText("bob: bob");
        alice.expectText("bob: bob");
        lurker.sendBinary(new byte[] {1, 2, 3});
        lurker.expectText("! binary messages are not supported");
    }

    @Test
    void aNicknameLeavesWithItsConnectionOnly() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient lurker = connect();
        lurker.close();
        JdkWebSocketClient bob = join("bob");
        alice.expectText("* bob joined");
        bob.close();
        alice.expectText("* bob left");
        alice.send("still here");
        alice.expectText("alice: still here");
        assertEquals(List.of(), alice.drainEvents());
    }

    @Test
    void concurrentSendersAreSeenByEveryoneInOneOrder() throws Exception {
        int members = 20;
        int perMember = 25;
        for (int i = 0; i < members; i++) {
            join("u" + i);
        }
        // Everyone has seen the last one join.
        for (JdkWebSocketClient client : clients.subList(0, members - 1)) {
            client.awaitTextMatching(line -> line.equals("* u" + (members - 1) + " joined"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(members);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                JdkWebSocketClient client = clients.get(i);
                String sender = "u" + i;
                sends.add(pool.submit(() -> {
                    for (int n = 0; n < perMember; n++) {
                        client.send(sender + " says " + n);
                    }
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            pool.shutdown();
        }

        List<List<String>> received = new ArrayList<>();
        for (JdkWebSocketClient client : clients) {
            List<String> lines = new ArrayList<>();
            for (int n = 0; n < members * perMember; n++) {
                lines.add(client.awaitText());
            }
            received.add(lines);
        }
        List<String> first = received.get(0);
        assertEquals(members * perMember, first.stream().distinct().count(), "each message exactly once");
        for (int i = 0; i < members; i++) {
            String sender = "u" + i;
            List<String> own = first.stream().filter(line -> line.startsWith(sender + ": ")).collect(Collectors.toList());
            assertEquals(IntStream.range(0, perMember).mapToObj(n -> sender + ": " + sender + " says " + n)
                    .collect(Collectors.toList()), own, "the order of " + sender + "'s messages");
        }
        for (List<String> lines : received) {
            assertEquals(first, lines, "every member sees the same order");
        }
        for (JdkWebSocketClient client : clients) {
            assertEquals(List.of(), client.drainEvents());
        }
    }

    @Test
    void adoptionKeepsTheNicknameOfThisClassVersion() {
        JdkWebSocketClient alice = join("alice");
        JdkWebSocketClient bob = join("bob");
        alice.expectText("* bob joined");

        // A hot swap to another instance: the attachments are Members of this very class.
        ChatHandler next = new ChatHandler(new Broadcasts());
        server.adopt("/chat", HandlerBinding.of(next, false), true);
        alice.expectText("+ alice");
        bob.expectText("+ bob");
        assertEquals(List.of("alice", "bob"), next.nicknames().stream().sorted().collect(Collectors.toList()));

        alice.send("after the swap");
        alice.expectText("alice: after the swap");
        bob.expectText("alice: after the swap");
        bob.close();
        alice.expectText("* bob left");
    }

    @Test
    void adoptionOfForeignStateAsksToRejoin() throws IOException {
        server.stop();
        // An "older version" that keeps its own kind of state, then hands its connections over.
        ConnectionHandler older = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                connection.attach("alice, in a format this version does not know");
            }

            @Override
            public void message(Connection connection, String text) {
                connection.setHandler(chat);
            }
        };
        server = WebSocketServer.builder().name("chat-test").host("127.0.0.1").port(0)
                .route("/chat", older).start();
        uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat");

        try (JdkWebSocketClient client = JdkWebSocketClient.connect(uri)) {
            client.send("swap");
            client.expectText("? pick a nickname");
            client.send("alice");
            client.expectText("+ alice");
            client.expectText("* alice joined");
            assertEquals(List.of("alice"), chat.nicknames());
        }
    }
}

package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
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
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.WebSocketServer;

/** The chat room over real sockets: a plain-Java server and JDK WebSocket clients. */
class ChatHandlerTest {
    private final ChatHandler chat = new ChatHandler();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ChatClient> clients = new ArrayList<>();
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

    private ChatClient join(String nickname) {
        ChatClient client = ChatClient.join(http, uri, nickname);
        clients.add(client);
        return client;
    }

    private ChatClient connect() {
        ChatClient client = ChatClient.connect(http, uri);
        clients.add(client);
        return client;
    }

    @Test
    void joinAndLeaveAreAnnouncedToEveryone() {
        ChatClient alice = connect();
        alice.send("alice");
        alice.expect("+ alice");
        alice.expect("* alice joined");
        alice.expect("* online: alice");

        ChatClient bob = connect();
        bob.send("/nick bob");
        bob.expect("+ bob");
        bob.expect("* bob joined");
        bob.expect("* online: alice, bob");
        alice.expect("* bob joined");

        bob.close();
        alice.expect("* bob left");
        assertEquals(List.of("alice"), chat.nicknames());
    }

    @Test
    void messagesGoToEveryMemberIncludingTheSender() {
        ChatClient alice = join("alice");
        ChatClient bob = join("bob");
        alice.expect("* bob joined");
        ChatClient carol = join("carol");
        alice.expect("* carol joined");
        bob.expect("* carol joined");

        bob.send("hello, <b>world</b>");
        for (ChatClient client : List.of(alice, bob, carol)) {
            client.expect("bob: hello, <b>world</b>");
        }
        carol.send("//slash is text");
        carol.send("two\nlines");
        for (ChatClient client : List.of(alice, bob, carol)) {
            client.expect("carol: /slash is text");
            client.expect("carol: two lines");
        }
    }

    @Test
    void nicknamesAreValidatedAndUniqueIgnoringCase() {
        ChatClient alice = join("alice");
        ChatClient other = connect();

        other.send("ALICE");
        other.expect("! nickname taken: ALICE");
        other.send("no spaces");
        other.expect("! invalid nickname: use 1 to 20 letters, digits, _ or -");
        other.send("x".repeat(21));
        other.expect("! invalid nickname: use 1 to 20 letters, digits, _ or -");
        other.send("/nick");
        other.expect("! usage: /nick name");
        other.send("/shout hi");
        other.expect("! unknown command: /shout");
        other.send("Bob_the-2nd_x1234567");
        other.expect("+ Bob_the-2nd_x1234567");
        other.expect("* Bob_the-2nd_x1234567 joined");
        alice.expect("* Bob_the-2nd_x1234567 joined");

        // Errors went to the offender only.
        assertEquals(List.of(), alice.pending());
    }

    @Test
    void renameIsAnnouncedAndFreesTheOldName() {
        ChatClient alice = join("alice");
        ChatClient bob = join("bob");
        alice.expect("* bob joined");

        bob.send("/nick alice");
        bob.expect("! nickname taken: alice");
        bob.send("/nick robert");
        bob.expect("+ robert");
        bob.expect("* bob is now known as robert");
        alice.expect("* bob is now known as robert");

        ChatClient newBob = join("bob");
        alice.expect("* bob joined");
        bob.expect("* bob joined");
        bob.send("call me robert");
        for (ChatClient client : List.of(alice, bob, newBob)) {
            client.expect("robert: call me robert");
        }
        assertEquals(List.of("alice", "robert", "bob"), chat.nicknames());
    }

    @Test
    void stateIsPerConnection() {
        ChatClient alice = join("alice");
        ChatClient lurker = connect();

        // A connection that has not joined picks a nickname with its first message; it sees no chat.
        alice.send("anyone?");
        alice.expect("alice: anyone?");
        lurker.send("bob");
        lurker.expect("+ bob");
        lurker.expect("* bob joined");
        alice.expect("* bob joined");
        // Once joined, the same text is a message, not a nickname.
        lurker.next(line -> line.startsWith("* online: "));
        lurker.send("bob");
        lurker.expect("bob: bob");
        alice.expect("bob: bob");
        lurker.sendBinary();
        lurker.expect("! binary messages are not supported");
    }

    @Test
    void aNicknameLeavesWithItsConnectionOnly() {
        ChatClient alice = join("alice");
        ChatClient lurker = connect();
        lurker.close();
        ChatClient bob = join("bob");
        alice.expect("* bob joined");
        bob.close();
        alice.expect("* bob left");
        alice.send("still here");
        alice.expect("alice: still here");
        assertEquals(List.of(), alice.pending());
    }

    @Test
    void concurrentSendersAreSeenByEveryoneInOneOrder() throws Exception {
        int members = 20;
        int perMember = 25;
        for (int i = 0; i < members; i++) {
            join("u" + i);
        }
        // Everyone has seen the last one join.
        for (ChatClient client : clients.subList(0, members - 1)) {
            client.next(line -> line.equals("* u" + (members - 1) + " joined"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(members);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                ChatClient client = clients.get(i);
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
        for (ChatClient client : clients) {
            List<String> lines = new ArrayList<>();
            for (int n = 0; n < members * perMember; n++) {
                lines.add(client.next());
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
        for (ChatClient client : clients) {
            assertEquals(List.of(), client.pending());
        }
    }

    @Test
    void adoptionKeepsTheNicknameOfThisClassVersion() {
        ChatClient alice = join("alice");
        ChatClient bob = join("bob");
        alice.expect("* bob joined");

        // A hot swap to another instance: the attachments are Members of this very class.
        ChatHandler next = new ChatHandler();
        server.adopt("/chat", HandlerBinding.of(next, false), true);
        alice.expect("+ alice");
        bob.expect("+ bob");
        assertEquals(List.of("alice", "bob"), next.nicknames().stream().sorted().collect(Collectors.toList()));

        alice.send("after the swap");
        alice.expect("alice: after the swap");
        bob.expect("alice: after the swap");
        bob.close();
        alice.expect("* bob left");
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

        try (ChatClient client = ChatClient.open(http, uri)) {
            client.send("swap");
            client.expect("? pick a nickname");
            client.send("alice");
            client.expect("+ alice");
            client.expect("* alice joined");
            assertEquals(List.of("alice"), chat.nicknames());
        }
    }
}

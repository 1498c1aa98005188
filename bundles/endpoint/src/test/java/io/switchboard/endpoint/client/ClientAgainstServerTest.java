package io.switchboard.endpoint.client;

import static io.switchboard.endpoint.interop.Await.done;
import static io.switchboard.endpoint.interop.Await.take;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.api.Handshake;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;

/**
 * The client against Switchboard's own server over loopback: messages of every kind and size
 * both ways, pings both ways, close codes from either side, subprotocols, permessage-deflate
 * both ways, and the client's own close. The server checks what it gets (it refuses unmasked
 * frames with 1002), so an echo that comes back proves the client masked it.
 */
class ClientAgainstServerTest {
    private static WebSocketServer server;
    private static WebSocketServer deflating;
    private static WebSocketClient client;
    /** What the server's handlers heard of each connection's end, by the client's port. */
    private static final Map<Integer, CompletableFuture<CloseStatus>> serverSaw = new ConcurrentHashMap<>();
    private static final BlockingQueue<byte[]> serverPongs = new LinkedBlockingQueue<>();

    /** Echoes; "close CODE REASON" closes from the server; "ping PAYLOAD" pings the client. */
    private static final ConnectionHandler ECHO = new ConnectionHandler() {
        @Override
        public void validate(Handshake handshake) {
            if (handshake.offeredSubprotocols().contains("b")) {
                handshake.selectSubprotocol("b");
            }
        }

        @Override
        public void message(Connection connection, String text) {
            String[] words = text.split(" ", 3);
            if (words[0].equals("close")) {
                connection.close(Integer.parseInt(words[1]), words[2]);
            } else if (words[0].equals("ping")) {
                connection.ping(ByteBuffer.wrap(words[1].getBytes(StandardCharsets.UTF_8)));
            } else {
                connection.send(text);
            }
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            connection.send(data);
        }

        @Override
        public void pong(Connection connection, ByteBuffer payload) {
            serverPongs.add(Inbox.bytes(payload));
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            serverSawEndOf(connection.request().remoteAddress().getPort()).complete(status);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(2).route("/echo", ECHO).start();
        deflating = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1).perMessageDeflate(true).route("/echo", ECHO).start();
        client = WebSocketClient.builder().loops(2).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop();
        deflating.stop();
    }

    private static CompletableFuture<CloseStatus> serverSawEndOf(int clientPort) {
        return serverSaw.computeIfAbsent(clientPort, port -> new CompletableFuture<>());
    }

    /** The close status the server's handler was given for the client's {@code connection}. */
    private static CloseStatus serverSaw(Connection connection) throws Exception {
        return done(serverSawEndOf(connection.request().localAddress().getPort()));
    }

    private static URI echo(WebSocketServer at) {
        return URI.create("ws://127.0.0.1:" + at.port() + "/echo");
    }

    private static Connection open(Inbox inbox) throws Exception {
        Connection connection = done(client.connect(echo(server), inbox));
        assertEquals(connection, take(inbox.connected), "the handler heard of the connection before the future completed");
        return connection;
    }

    @Test
    void textAndBinaryGoBothWays() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);

        connection.send("hello, wörld");
        connection.send(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}));

        assertEquals("hello, wörld", take(inbox.texts));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, take(inbox.binaries));
        assertTrue(connection.isOpen());
        assertEquals("/echo", connection.request().path());
        assertEquals(server.port(), connection.request().remoteAddress().getPort());
        connection.close();
        assertEquals(CloseStatus.NORMAL, inbox.awaitDisconnect().code());
    }

    @Test
    void largeMessagesAndManySmallOnesKeepTheirBytesAndOrder() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);
        byte[] large = new byte[1_000_000];
        new Random(16).nextBytes(large);
        String text = "ü€𝄞 ".repeat(50_000); // multi-byte characters across every buffer boundary

        connection.send(ByteBuffer.wrap(large));
        connection.send(text);
        for (int i = 0; i < 1000; i++) {
            connection.send("m" + i);
        }

        assertArrayEquals(large, take(inbox.binaries));
        assertEquals(text, take(inbox.texts));
        for (int i = 0; i < 1000; i++) {
            assertEquals("m" + i, take(inbox.texts));
        }
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void sendsFromOtherThreadsAreMaskedToo() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);
        Thread[] senders = new Thread[4];
        for (int t = 0; t < senders.length; t++) {
            int sender = t;
            senders[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    connection.send(ByteBuffer.wrap(new byte[] {(byte) sender, (byte) i}));
                }
            });
            senders[t].start();
        }
        for (Thread sender : senders) {
            sender.join(Inbox.SECONDS * 1000);
        }

        int[] next = new int[senders.length];
        for (int i = 0; i < 800; i++) {
            byte[] echoed = take(inbox.binaries);
            assertEquals(next[echoed[0]]++, echoed[1] & 0xFF, "each sender's messages in its order");
        }
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void sendsFromTheClientsOwnCallbacksAreMaskedToo() throws Exception {
        // From the loop thread a message goes into the loop's output buffer (masked there), or,
        // larger than that buffer, through the send queue: both must reach the server intact.
        Inbox inbox = new Inbox() {
            @Override
            public void connect(Connection connection) {
                super.connect(connection);
                connection.send("0");
            }

            @Override
            public void message(Connection connection, String text) {
                super.message(connection, text);
                int n = Integer.parseInt(text);
                if (n < 100) {
                    connection.send(ByteBuffer.allocate(n % 10 == 0 ? 70_000 : n).put(0, (byte) n));
                    connection.send(Integer.toString(n + 1));
                }
            }
        };
        Connection connection = done(client.connect(echo(server), inbox));

        for (int n = 0; n <= 100; n++) {
            assertEquals(Integer.toString(n), take(inbox.texts));
        }
        for (int n = 0; n < 100; n++) {
            byte[] echoed = take(inbox.binaries);
            assertEquals(n % 10 == 0 ? 70_000 : n, echoed.length);
            if (echoed.length > 0) {
                assertEquals((byte) n, echoed[0]);
            }
        }
        connection.close();
        assertEquals(CloseStatus.NORMAL, inbox.awaitDisconnect().code());
    }

    @Test
    void pingsGoBothWays() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);

        connection.ping(ByteBuffer.wrap(new byte[] {4, 2}));
        assertArrayEquals(new byte[] {4, 2}, take(inbox.pongs));

        connection.send("ping fromserver");
        assertArrayEquals("fromserver".getBytes(StandardCharsets.UTF_8), take(serverPongs), "the client answered the server's ping");
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void theClientClosesWithItsCode() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);

        connection.close(4000, "client done");

        assertEquals(CloseStatus.of(4000, "client done"), serverSaw(connection));
        assertEquals(4000, inbox.awaitDisconnect().code(), "the server's echo of the code");
        assertFalse(connection.isOpen());
        assertEquals(1, inbox.disconnects.get());
    }

    @Test
    void theServerClosesWithItsCode() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = open(inbox);

        connection.send("close 4001 server done");

        assertEquals(CloseStatus.of(4001, "server done"), inbox.awaitDisconnect());
        assertFalse(connection.isOpen());
    }

    @Test
    void aSubprotocolIsAgreed() throws Exception {
        Inbox offering = new Inbox();
        Connection chosen = done(client.connect(echo(server), List.of("a", "b"), List.of(), offering));
        Inbox notOffering = new Inbox();
        Connection none = done(client.connect(echo(server), notOffering));

        assertEquals("b", chosen.subprotocol());
        assertEquals("", none.subprotocol());
        chosen.close();
        none.close();
        offering.awaitDisconnect();
        notOffering.awaitDisconnect();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void permessageDeflateCompressesBothWays(boolean noContextTakeover) throws Exception {
        try (WebSocketClient compressing = WebSocketClient.builder()
                .perMessageDeflate(new PerMessageDeflate(noContextTakeover, noContextTakeover)).build()) {
            Inbox inbox = new Inbox();
            Connection connection = done(compressing.connect(echo(deflating), inbox));
            String text = "compressible, ".repeat(10_000);
            byte[] binary = text.getBytes(StandardCharsets.UTF_8);

            for (int i = 0; i < 3; i++) { // more than one: context takeover refers back to earlier messages
                connection.send(text);
                connection.send(ByteBuffer.wrap(binary));
                assertEquals(text, take(inbox.texts));
                assertArrayEquals(binary, take(inbox.binaries));
            }

            assertEquals(List.of(PerMessageDeflate.NAME), connection.extensions());
            int port = connection.request().localAddress().getPort();
            ConnectionInfo seen = deflating.connections().stream().filter(info -> info.remote().getPort() == port).findFirst().orElseThrow();
            assertTrue(seen.bytesIn() < binary.length, "the client compressed: the server read " + seen.bytesIn() + " bytes");
            assertTrue(seen.bytesOut() < binary.length, "the server compressed: it wrote " + seen.bytesOut() + " bytes");
            connection.close();
            inbox.awaitDisconnect();
        }
    }

    @Test
    void closingTheClientClosesItsConnectionsWith1001() throws Exception {
        WebSocketClient closing = WebSocketClient.builder().build();
        Inbox inbox = new Inbox();
        Connection connection = done(closing.connect(echo(server), inbox));

        closing.close();

        assertEquals(CloseStatus.GOING_AWAY, serverSaw(connection).code());
        assertEquals(CloseStatus.GOING_AWAY, inbox.awaitDisconnect().code());
        assertTrue(closing.connections().isEmpty());
    }

    @Test
    void aClientOnTheServersLoopsWorksAndClosesItsOwnConnectionsOnly() throws Exception {
        WebSocketClient sharing = WebSocketClient.builder().loopsOf(server).build();
        Inbox inbox = new Inbox();
        Connection connection = done(sharing.connect(echo(server), inbox));
        Inbox other = new Inbox();
        Connection untouched = open(other);

        connection.send("on the server's loops");
        assertEquals("on the server's loops", take(inbox.texts));
        int clientPort = connection.request().localAddress().getPort();
        List<ConnectionInfo> listed = server.connections();
        assertTrue(listed.stream().anyMatch(info -> info.remote().getPort() == clientPort), "the accepted side: " + listed);
        assertTrue(listed.stream().noneMatch(info -> info.id() == connection.id()),
                "the client's own connection is the client's to list, not the server's: " + listed);
        sharing.close();

        assertEquals(CloseStatus.GOING_AWAY, inbox.awaitDisconnect().code());
        assertEquals(CloseStatus.GOING_AWAY, serverSaw(connection).code());
        untouched.send("still here");
        assertEquals("still here", take(other.texts), "the other client's connection, and the server, went on");
        untouched.close();
        other.awaitDisconnect();
    }

    @Test
    void clientsSharingAnotherClientsLoopsCloseTheirOwnAndEndWithTheOwner() throws Exception {
        WebSocketClient owner = WebSocketClient.builder().name("owner").build();
        WebSocketClient first = WebSocketClient.builder().loopsOf(owner).build();
        WebSocketClient second = WebSocketClient.builder().loopsOf(owner).maxMessageSize(200).build();
        Inbox firstInbox = new Inbox();
        Inbox secondInbox = new Inbox();
        Connection firstConnection = done(first.connect(echo(server), firstInbox));
        Connection secondConnection = done(second.connect(echo(server), secondInbox));

        first.close();

        assertEquals(CloseStatus.GOING_AWAY, firstInbox.awaitDisconnect().code());
        secondConnection.send("x".repeat(100));
        assertEquals("x".repeat(100), take(secondInbox.texts), "the other sharer's connection went on");
        secondConnection.send("y".repeat(300)); // its own settings: the echo is over its limit
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, secondInbox.awaitDisconnect().code());
        assertEquals(CloseStatus.GOING_AWAY, serverSaw(firstConnection).code());

        Inbox lastInbox = new Inbox();
        done(second.connect(echo(server), lastInbox));
        owner.close(); // its loops stop, and with them every connection on them
        assertEquals(CloseStatus.GOING_AWAY, lastInbox.awaitDisconnect().code());
        second.close();
    }

    @Test
    void aBlockingHandlerIsCalledOnWorkers() throws Exception {
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        try (WebSocketClient blocking = WebSocketClient.builder().name("blocking").blocking(true).build()) {
            Inbox inbox = new Inbox() {
                @Override
                public void message(Connection connection, String text) {
                    threads.add(Thread.currentThread().getName());
                    super.message(connection, text);
                }
            };
            Connection connection = done(blocking.connect(echo(server), inbox));

            connection.send("on a worker");

            assertEquals("on a worker", take(inbox.texts));
            assertTrue(take(threads).startsWith("switchboard-worker-blocking-"));
        }
    }

    @Test
    void aClosedClientConnectsNoMore() throws Exception {
        WebSocketClient closed = WebSocketClient.builder().build();
        closed.close();

        ExecutionException failed = assertThrows(ExecutionException.class, () -> done(closed.connect(echo(server), new Inbox())));

        assertInstanceOf(IOException.class, failed.getCause());
    }

    @Test
    void aGroupMayHoldClientConnectionsWhichMaskWhatItSends() throws Exception {
        try (WebSocketClient contextTakeover = WebSocketClient.builder().perMessageDeflate(new PerMessageDeflate(false, false)).build();
             WebSocketClient noContext = WebSocketClient.builder().perMessageDeflate(new PerMessageDeflate(true, true)).build()) {
            Inbox plain = new Inbox();
            Inbox compressing = new Inbox();
            Inbox pooled = new Inbox();
            Group group = new Broadcasts().group();
            group.join(done(client.connect(echo(server), plain)));
            group.join(done(contextTakeover.connect(echo(deflating), compressing)));
            group.join(done(noContext.connect(echo(deflating), pooled)));
            String large = "to every member, ".repeat(100); // compressed where the extension is on

            assertEquals(3, group.send("small"));
            assertEquals(3, group.send(large));
            assertEquals(3, group.send(ByteBuffer.wrap(new byte[] {1, 2})));

            for (Inbox inbox : List.of(plain, compressing, pooled)) {
                assertEquals("small", take(inbox.texts));
                assertEquals(large, take(inbox.texts));
                assertArrayEquals(new byte[] {1, 2}, take(inbox.binaries));
            }
        }
    }
}

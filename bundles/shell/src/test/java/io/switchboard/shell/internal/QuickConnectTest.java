package io.switchboard.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.whiteboard.SwitchboardClient;

/**
 * {@code switchboard:connect} against a real server over loopback, through a
 * {@link SwitchboardClient} made of a real {@link WebSocketClient}: what it prints, how it closes,
 * and the errors it gives.
 */
class QuickConnectTest {
    private static final Duration LISTEN = Duration.ofMillis(300);

    private static WebSocketServer server;
    private static WebSocketClient webSocketClient;
    private static SwitchboardClient client;
    private static final BlockingQueue<Integer> serverSawClose = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
                if (text.equals("binary too")) {
                    connection.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                }
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                serverSawClose.add(status.code());
            }
        };
        ConnectionHandler leaving = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                connection.send("bye");
                connection.close(CloseStatus.NORMAL, "done");
            }
        };
        server = WebSocketServer.builder().host("127.0.0.1").port(0).route("/echo", echo).route("/leave", leaving).start();
        webSocketClient = WebSocketClient.builder().build();
        client = new SwitchboardClient() {
            @Override
            public CompletionStage<Connection> connect(URI uri, ConnectionHandler handler) {
                return webSocketClient.connect(uri, handler);
            }

            @Override
            public CompletionStage<Connection> connect(URI uri, List<String> subprotocols, List<String[]> headers,
                                                       ConnectionHandler handler) {
                return webSocketClient.connect(uri, subprotocols, headers, handler);
            }

            @Override
            public List<Connection> connections() {
                return webSocketClient.connections();
            }
        };
    }

    @AfterAll
    static void stop() {
        webSocketClient.close();
        server.stop();
    }

    @Test
    void sendsTheMessagesPrintsWhatComesBackAndClosesWith1000() throws Exception {
        List<String> printed = run("ws://127.0.0.1:" + server.port() + "/echo", List.of("hello", "binary too"), LISTEN);

        assertEquals(List.of("Connected to ws://127.0.0.1:" + server.port() + "/echo", "> hello", "> binary too",
                "< hello", "< binary too", "< (binary, 3 bytes)", "Closed: 1000"), printed);
        assertEquals(CloseStatus.NORMAL, serverSawClose.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aServerThatClosesEndsTheCommandBeforeItsTimeIsUp() {
        List<String> printed = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> run("ws://127.0.0.1:" + server.port() + "/leave", List.of(), Duration.ofMinutes(10)));

        assertEquals(List.of("Connected to ws://127.0.0.1:" + server.port() + "/leave", "< bye",
                "Closed by the server: 1000 done"), printed);
    }

    @Test
    void aRefusedUpgradeIsAnErrorNamingTheStatus() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> run("ws://127.0.0.1:" + server.port() + "/nowhere", List.of("x"), LISTEN));

        assertTrue(failed.getMessage().startsWith("Could not connect to ws://127.0.0.1:" + server.port() + "/nowhere: "),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("404"), failed.getMessage());
    }

    @Test
    void nothingListeningIsAnErrorNamingTheRefusal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> run("ws://127.0.0.1:" + closedPort + "/echo", List.of(), LISTEN));

        assertTrue(failed.getMessage().contains("ConnectException"), failed.getMessage());
    }

    @Test
    void aUriThatIsNotWebSocketsIsRefusedBeforeConnecting() {
        assertThrows(IllegalArgumentException.class, () -> run("http://127.0.0.1/echo", List.of(), LISTEN));
        assertThrows(IllegalArgumentException.class, () -> run("ws://bad host/", List.of(), LISTEN));
    }

    @Test
    void withoutTheClientServiceTheErrorSaysSo() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> QuickConnect.run(null, "ws://127.0.0.1/", List.of(), LISTEN, System.out));
        assertTrue(failed.getMessage().contains("No SwitchboardClient service"), failed.getMessage());
    }

    private static List<String> run(String uri, List<String> messages, Duration listen) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QuickConnect.run(client, uri, messages, listen, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}

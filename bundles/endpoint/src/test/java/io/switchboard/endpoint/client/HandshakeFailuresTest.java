package io.switchboard.endpoint.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.Connection;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.handshake.WebSocketHandshakeException;

/**
 * Every way an opening handshake can fail, each played by a scripted server over a real socket,
 * each a defined failure of the connect's future within its timeout, with the socket closed.
 */
class HandshakeFailuresTest {
    private static final Duration TIMEOUT = Duration.ofMillis(600);
    /** The timers run on the loops' sweep, every 250 ms; plus a generous allowance for a slow machine. */
    private static final long LATEST_MILLIS = TIMEOUT.toMillis() + 250 + 2000;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws IOException {
        client = WebSocketClient.builder().connectTimeout(TIMEOUT).handshakeTimeout(TIMEOUT)
                .perMessageDeflate(new PerMessageDeflate(false, false)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** The exception the connect fails with, after the script has played (and seen the client leave). */
    private static Throwable failureOf(ScriptedServer.Script script) throws Exception {
        return failureOf(script, List.of());
    }

    private static Throwable failureOf(ScriptedServer.Script script, List<String> subprotocols) throws Exception {
        try (ScriptedServer server = new ScriptedServer(script)) {
            CompletableFuture<Connection> connecting = client.connect(server.uri("/chat"), subprotocols, List.of(), new Inbox());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> Await.done(connecting));
            Await.done(server.done);
            return failed.getCause();
        }
    }

    /** A script that answers with {@code response} (formatted with the right accept key) and waits for the client to leave. */
    private static ScriptedServer.Script answering(String response) {
        return server -> {
            server.readRequest().write(response.formatted(server.accept()));
            assertTrue(server.clientLeft(), "the client closed the socket");
        };
    }

    private static WebSocketHandshakeException refusal(Throwable failure, String mentioning) {
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure);
        assertTrue(refused.getMessage().contains(mentioning), refused.getMessage());
        return refused;
    }

    @Test
    void aWrongAcceptKeyIsRefused() throws Exception {
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")), "Sec-WebSocket-Accept");
    }

    @Test
    void aMissingUpgradeOrConnectionIsRefused() throws Exception {
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: %s\r\n\r\n")), "Upgrade");
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Accept: %s\r\n\r\n")), "Connection");
    }

    @Test
    void aRedirectIsReportedWithItsLocationAndNotFollowed() throws Exception {
        WebSocketHandshakeException refused = refusal(failureOf(answering(
                "HTTP/1.1 302 Found\r\nLocation: ws://elsewhere.example/chat\r\nContent-Length: 0\r\n\r\n")), "302");

        assertEquals(302, refused.status());
        assertEquals(Optional.of("ws://elsewhere.example/chat"), refused.location());
    }

    @Test
    void anotherStatusIsReportedWithIt() throws Exception {
        assertEquals(403, refusal(failureOf(answering("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")), "403").status());
    }

    @Test
    void anExtensionOrSubprotocolNotOfferedIsRefused() throws Exception {
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n")), "not offered");
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: chat\r\n\r\n"), List.of("superchat")), "not offered");
    }

    @Test
    void aDeflateAnswerOutsideTheOfferIsRefused() throws Exception {
        refusal(failureOf(answering("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n\r\n")),
                "not allowed by the offer");
    }

    @Test
    void anUnreadableAnswerIsRefused() throws Exception {
        refusal(failureOf(answering("SSH-2.0-OpenSSH_9.6\r\n\r\n")), "unreadable");
    }

    @Test
    void aServerThatLeavesDuringTheHandshakeFailsIt() throws Exception {
        Throwable failure = failureOf(server -> server.readRequest().write("HTTP/1.1 101 Switch"));

        assertInstanceOf(IOException.class, failure);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        long start = System.nanoTime();
        Throwable failure = failureOf(server -> {
            server.readRequest();
            assertTrue(server.clientLeft(), "the client gave up and closed the socket");
        });
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertInstanceOf(SocketTimeoutException.class, failure);
        assertTrue(failure.getMessage().contains("no upgrade answer"), failure.getMessage());
        assertTrue(millis >= TIMEOUT.toMillis() && millis < LATEST_MILLIS, "failed after " + millis + " ms");
    }

    @Test
    void closingTheClientFailsAConnectInProgress() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest();
            assertTrue(peer.clientLeft());
        })) {
            WebSocketClient closing = WebSocketClient.builder().build();
            CompletableFuture<Connection> connecting = closing.connect(server.uri("/"), new Inbox());
            Await.done(server.requestRead);

            closing.close();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> Await.done(connecting));
            assertInstanceOf(IOException.class, failed.getCause());
            Await.done(server.done);
        }
    }

    @Test
    void aClosedPortFailsToConnect() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> Await.done(client.connect(URI.create("ws://127.0.0.1:" + port + "/"), new Inbox())));

        assertInstanceOf(ConnectException.class, failed.getCause());
    }

    @Test
    void aConnectThatHangsTimesOut() throws Exception {
        // A listener whose accept queue is full drops further SYNs (Linux), so a connect hangs.
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try {
                while (filling.size() < 16) {
                    Socket socket = new Socket();
                    filling.add(socket);
                    socket.connect(full.getLocalSocketAddress(), 200);
                }
            } catch (SocketTimeoutException queueFull) {
                // from here on, connects wait
            }
            long start = System.nanoTime();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> Await.done(
                    client.connect(URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/"), new Inbox())));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertInstanceOf(SocketTimeoutException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("connecting"), failed.getCause().getMessage());
            assertTrue(millis >= TIMEOUT.toMillis() && millis < LATEST_MILLIS, "failed after " + millis + " ms");
        } finally {
            for (Socket socket : filling) {
                socket.close();
            }
        }
    }

    @Test
    void aUriThatIsNotWebSocketIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> client.connect(URI.create("http://127.0.0.1/"), new Inbox()));
        assertThrows(IllegalArgumentException.class, () -> client.connect(URI.create("ws:relative"), new Inbox()));
    }
}

package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * wss: TLS inside the selector loops, with the JDK's client and Jetty's, against a key pair made
 * by keytool for this run; a ws endpoint beside it; and a client that does not speak TLS.
 */
class TlsInteropTest {
    private static SSLContext serverContext;
    private static SSLContext clientContext;
    private static SSLContext mutualContext;
    private static WebSocketServer wss;
    private static WebSocketServer ws;
    private static final BlockingQueue<Boolean> secureSeenByTheHandler = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        serverContext = TestKeys.server();
        clientContext = TestKeys.client();
        mutualContext = TestKeys.mutual();

        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                secureSeenByTheHandler.add(connection.request().secure());
            }

            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }

            @Override
            public void message(Connection connection, ByteBuffer data) {
                connection.send(ByteBuffer.allocate(data.remaining()).put(data).flip());
            }
        };
        wss = WebSocketServer.builder().host("127.0.0.1").port(0).tls(serverContext).route("/echo", echo).start();
        ws = WebSocketServer.builder().host("127.0.0.1").port(0).route("/echo", echo).start();
    }

    @AfterAll
    static void stop() {
        if (wss != null) {
            wss.stop();
        }
        if (ws != null) {
            ws.stop();
        }
    }

    @Test
    void theJdkClientEchoesTextAndLargeBinaryOverTls() throws Exception {
        JdkWebSocketClient socket = JdkWebSocketClient.to(URI.create("wss://127.0.0.1:" + wss.port() + "/echo"))
                .sslContext(clientContext).connect();
        assertEquals(Boolean.TRUE, secureSeenByTheHandler.poll(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            socket.send("message " + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("message " + i, socket.awaitText());
        }
        byte[] large = new byte[(1 << 20) - 1];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        socket.sendBinary(large);
        assertArrayEquals(large, socket.awaitBinary(), "1 MiB - 1 echoed intact");
        socket.closeAsync(1000, "done").get(10, TimeUnit.SECONDS);
        assertEquals(1000, socket.awaitClose().code());
    }

    @Test
    void jettysClientEchoesOverTls() throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(clientContext);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        WebSocketClient client = new WebSocketClient(new org.eclipse.jetty.client.HttpClient(new HttpClientTransportDynamic(connector)));
        client.start();
        try {
            JettyDeflateInteropTest.TextCollector listener = new JettyDeflateInteropTest.TextCollector();
            Session session = client.connect(listener, URI.create("wss://127.0.0.1:" + wss.port() + "/echo")).get(10, TimeUnit.SECONDS);
            session.sendText("over jetty", Callback.NOOP);
            assertEquals("over jetty", listener.received.poll(10, TimeUnit.SECONDS));
            session.close();
        } finally {
            client.stop();
        }
    }

    @Test
    void wsAndWssServeSideBySide() throws Exception {
        JdkWebSocketClient plain = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + ws.port() + "/echo"));
        assertEquals(Boolean.FALSE, secureSeenByTheHandler.poll(10, TimeUnit.SECONDS));
        assertEquals("plain", plain.request("plain"));
        plain.closeAsync(1000, "");
    }

    @Test
    void aClientThatDoesNotSpeakTlsIsDisconnected() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(wss.port())) {
            client.timeout(Duration.ofSeconds(10));
            client.send("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            client.skipToEof(); // a TLS alert may come first; then the server closes the connection
        }
    }

    @Test
    void clientCertificatesWhenRequiredAreCheckedDuringTheHandshake() throws Exception {
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }
        };
        try (WebSocketServer guarded = WebSocketServer.builder().host("127.0.0.1").port(0)
                .tls(mutualContext).needClientAuth(true).route("/echo", echo).start()) {
            URI uri = URI.create("wss://127.0.0.1:" + guarded.port() + "/echo");
            CompletableFuture<JdkWebSocketClient> anonymous = JdkWebSocketClient.to(uri).sslContext(clientContext).connectAsync();
            ExecutionException refused = assertThrows(ExecutionException.class, () -> anonymous.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof IOException, "refused at the TLS handshake: " + refused.getCause());

            JdkWebSocketClient identified = JdkWebSocketClient.to(uri).sslContext(mutualContext).connect();
            assertEquals("with a certificate", identified.request("with a certificate"));
            identified.closeAsync(1000, "");
        }
    }
}

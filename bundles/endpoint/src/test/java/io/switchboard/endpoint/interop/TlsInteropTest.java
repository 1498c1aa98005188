package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;

/**
 * wss: TLS inside the selector loops, with the JDK's client and Jetty's, against a key pair made
 * by keytool for this run; a ws endpoint beside it; and a client that does not speak TLS.
 */
class TlsInteropTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path keys;
    private static Path keyStore;
    private static SSLContext serverContext;
    private static SSLContext clientContext;
    private static SSLContext mutualContext;
    private static WebSocketServer wss;
    private static WebSocketServer ws;
    private static final BlockingQueue<Boolean> secureSeenByTheHandler = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        keyStore = keys.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "switchboard", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);
        // For client certificates: one key pair plays both parts, each side trusting it.
        mutualContext = SSLContext.getInstance("TLS");
        mutualContext.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);

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
        ClientSession socket = jdkClient(clientContext).connect(URI.create("wss://127.0.0.1:" + wss.port() + "/echo"));
        assertEquals(Boolean.TRUE, secureSeenByTheHandler.poll(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            socket.sendText("message " + i).get(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("message " + i, socket.nextText());
        }
        byte[] large = new byte[(1 << 20) - 1];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        socket.sendBinary(ByteBuffer.wrap(large)).get(10, TimeUnit.SECONDS);
        assertArrayEquals(large, socket.nextBinary(), "1 MiB - 1 echoed intact");
        socket.close(1000, "done").get(10, TimeUnit.SECONDS);
        assertEquals(1000, socket.closed.get(10, TimeUnit.SECONDS).code());
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
        ClientSession plain = new JdkClient().connect(URI.create("ws://127.0.0.1:" + ws.port() + "/echo"));
        assertEquals(Boolean.FALSE, secureSeenByTheHandler.poll(10, TimeUnit.SECONDS));
        plain.sendText("plain");
        assertEquals("plain", plain.nextText());
        plain.close(1000, "");
    }

    @Test
    void aClientThatDoesNotSpeakTlsIsDisconnected() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", wss.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read;
            do {
                read = in.read(buffer); // a TLS alert may come first; then the end
            } while (read > 0);
            assertEquals(-1, read, "the server closes the connection");
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
            CompletableFuture<WebSocket> anonymous = HttpClient.newBuilder().sslContext(clientContext).build()
                    .newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { });
            java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> anonymous.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof java.io.IOException, "refused at the TLS handshake: " + refused.getCause());

            ClientSession identified = jdkClient(mutualContext).connect(uri);
            identified.sendText("with a certificate");
            assertEquals("with a certificate", identified.nextText());
            identified.close(1000, "");
        }
    }

    private static JdkClient jdkClient(SSLContext context) {
        return new JdkClient(HttpClient.newBuilder().sslContext(context).build());
    }
}

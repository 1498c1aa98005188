package io.switchboard.endpoint.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.TestKeys;

/**
 * wss: the server's certificate checked against the URI's host (a certificate for another host is
 * refused even when trusted), SNI sent, client certificates from the client's context.
 */
class ClientTlsTest {
    private static final ConnectionHandler ECHO = new ConnectionHandler() {
        @Override
        public void message(Connection connection, String text) {
            connection.send(text);
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            connection.send(data);
        }
    };
    private static WebSocketServer localhost;
    private static WebSocketServer otherHost;
    private static WebSocketServer mutual;
    private static SSLContext trustsOtherHost;

    @BeforeAll
    static void start() throws Exception {
        SSLContext[] other = TestKeys.forHost("other.example");
        trustsOtherHost = other[1];
        localhost = WebSocketServer.builder().host("127.0.0.1").port(0).tls(TestKeys.server()).route("/echo", ECHO).start();
        otherHost = WebSocketServer.builder().host("127.0.0.1").port(0).tls(other[0]).route("/echo", ECHO).start();
        mutual = WebSocketServer.builder().host("127.0.0.1").port(0).tls(TestKeys.mutual()).needClientAuth(true)
                .route("/echo", ECHO).start();
    }

    @AfterAll
    static void stop() {
        localhost.stop();
        otherHost.stop();
        mutual.stop();
    }

    private static URI uri(String host, WebSocketServer server) {
        return URI.create("wss://" + host + ":" + server.port() + "/echo");
    }

    private static void roundTrip(WebSocketClient client, URI uri) throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = Await.done(client.connect(uri, inbox));
        String large = "x".repeat(100_000); // several TLS records each way
        connection.send("over TLS");
        connection.send(large);
        assertEquals("over TLS", Await.take(inbox.texts));
        assertEquals(large, Await.take(inbox.texts));
        assertTrue(connection.request().secure());
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void aCertificateForTheHostIsAccepted() throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().tls(TestKeys.client()).build()) {
            roundTrip(client, uri("localhost", localhost));
            roundTrip(client, uri("127.0.0.1", localhost));
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().tls(trustsOtherHost).build()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> Await.done(client.connect(uri("localhost", otherHost), new Inbox())));

            SSLHandshakeException refused = assertInstanceOf(SSLHandshakeException.class, failed.getCause());
            assertTrue(String.valueOf(refused.getMessage()).contains("localhost"), refused.getMessage());
            assertTrue(client.connections().isEmpty());
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (WebSocketClient client = WebSocketClient.builder().tls(trustsOtherHost).build()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> Await.done(client.connect(uri("localhost", localhost), new Inbox())));

            assertInstanceOf(SSLHandshakeException.class, failed.getCause());
        }
    }

    @Test
    void theClientCertificateComesWithItsContext() throws Exception {
        try (WebSocketClient withKey = WebSocketClient.builder().tls(TestKeys.mutual()).build();
             WebSocketClient withoutKey = WebSocketClient.builder().tls(TestKeys.client()).build()) {
            roundTrip(withKey, uri("localhost", mutual));

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> Await.done(withoutKey.connect(uri("localhost", mutual), new Inbox())));
            assertInstanceOf(IOException.class, failed.getCause());
        }
    }

    @Test
    void theHostNameIsSentAsSni() throws Exception {
        BlockingQueue<String> names = new LinkedBlockingQueue<>();
        SSLServerSocket listener = (SSLServerSocket) TestKeys.server().getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = listener.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(0) {
            @Override
            public boolean matches(SNIServerName name) {
                names.add(((SNIHostName) name).getAsciiName());
                return true;
            }
        }));
        listener.setSSLParameters(parameters);
        try (ScriptedServer server = new ScriptedServer(listener, peer -> {
            peer.readRequest().answer101();
            peer.readFrame(); // the client's Close
        }); WebSocketClient client = WebSocketClient.builder().tls(TestKeys.client()).build()) {
            Connection connection = Await.done(client.connect(URI.create("wss://localhost:" + server.port() + "/"), new Inbox()));

            assertEquals("localhost", Await.take(names));
            connection.close();
            Await.done(server.done);
        }
    }
}

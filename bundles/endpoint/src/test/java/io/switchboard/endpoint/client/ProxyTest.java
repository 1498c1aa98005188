package io.switchboard.endpoint.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.handshake.WebSocketHandshakeException;
import io.switchboard.testing.TestKeys;

/** Connections through an HTTP proxy's {@code CONNECT} tunnel: ws, wss end to end, and a proxy that refuses. */
class ProxyTest {
    private static final ConnectionHandler ECHO = new ConnectionHandler() {
        @Override
        public void message(Connection connection, String text) {
            connection.send(text);
        }
    };
    private static WebSocketServer ws;
    private static WebSocketServer wss;

    @BeforeAll
    static void start() throws Exception {
        ws = WebSocketServer.builder().host("127.0.0.1").port(0).route("/echo", ECHO).start();
        wss = WebSocketServer.builder().host("127.0.0.1").port(0).tls(TestKeys.server()).route("/echo", ECHO).start();
    }

    @AfterAll
    static void stop() {
        ws.stop();
        wss.stop();
    }

    private static void echoThrough(ConnectProxy proxy, URI uri, WebSocketClient.Builder builder) throws Exception {
        try (WebSocketClient client = builder.proxy(proxy.address()).build()) {
            Inbox inbox = new Inbox();
            Connection connection = Await.done(client.connect(uri, inbox));

            connection.send("through the tunnel");

            assertEquals("through the tunnel", Await.take(inbox.texts));
            assertEquals("CONNECT " + uri.getHost() + ":" + uri.getPort() + " HTTP/1.1", Await.take(proxy.requestLines));
            connection.close();
            inbox.awaitDisconnect();
        }
    }

    @Test
    void wsGoesThroughTheTunnel() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(null)) {
            echoThrough(proxy, URI.create("ws://127.0.0.1:" + ws.port() + "/echo"), WebSocketClient.builder());
        }
    }

    @Test
    void wssRunsItsTlsEndToEndThroughTheTunnel() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(null)) {
            echoThrough(proxy, URI.create("wss://localhost:" + wss.port() + "/echo"), WebSocketClient.builder().tls(TestKeys.client()));
        }
    }

    @Test
    void aProxyThatRefusesFailsTheConnectWithItsStatus() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
             WebSocketClient client = WebSocketClient.builder().proxy(proxy.address()).build()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> Await.done(client.connect(URI.create("ws://127.0.0.1:" + ws.port() + "/echo"), new Inbox())));

            WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
            assertEquals(407, refused.status());
            assertTrue(refused.getMessage().contains("proxy"), refused.getMessage());
        }
    }

    @Test
    void credentialsGoWithConnectAndOpenTheTunnel() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("ada", "pässwörd");
             WebSocketClient client = WebSocketClient.builder().proxy(proxy.address(), "ada", "pässwörd").build()) {
            Inbox inbox = new Inbox();
            Connection connection = Await.done(client.connect(URI.create("ws://127.0.0.1:" + ws.port() + "/echo"), inbox));

            connection.send("authenticated");

            assertEquals("authenticated", Await.take(inbox.texts));
            assertEquals("Basic YWRhOnDDpHNzd8O2cmQ=", Await.take(proxy.authorizations)); // "ada:pässwörd" in UTF-8
            connection.close();
            inbox.awaitDisconnect();
        }
    }

    @Test
    void aProxyThatAsksForCredentialsFailsTheConnectWith407NamingItsChallenge() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("ada", "secret");
             WebSocketClient client = WebSocketClient.builder().proxy(proxy.address()).build()) {
            WebSocketHandshakeException refused = proxyRefusal(client);

            assertEquals(407, refused.status());
            assertTrue(refused.getMessage().contains("asks for credentials"), refused.getMessage());
            assertTrue(refused.getMessage().contains(ConnectProxy.CHALLENGE), refused.getMessage());
            assertEquals("", Await.take(proxy.authorizations));
        }
    }

    @Test
    void wrongCredentialsFailTheConnectWith407SayingTheyWereRefused() throws Exception {
        try (ConnectProxy proxy = ConnectProxy.requiring("ada", "secret");
             WebSocketClient client = WebSocketClient.builder().proxy(proxy.address(), "ada", "guess").build()) {
            WebSocketHandshakeException refused = proxyRefusal(client);

            assertEquals(407, refused.status());
            assertTrue(refused.getMessage().contains("refused the credentials"), refused.getMessage());
            assertTrue(refused.getMessage().contains(ConnectProxy.CHALLENGE), refused.getMessage());
            assertTrue(client.connections().isEmpty(), "the refused connection is not kept");
        }
    }

    @Test
    void aUserNameWithAColonIsRefusedBeforeAnythingIsSent() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WebSocketClient.builder().proxy(new InetSocketAddress("127.0.0.1", 3128), "a:b", "secret"));
        assertTrue(refused.getMessage().contains(":"), refused.getMessage());
    }

    private static WebSocketHandshakeException proxyRefusal(WebSocketClient client) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> Await.done(client.connect(URI.create("ws://127.0.0.1:" + ws.port() + "/echo"), new Inbox())));
        return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
    }
}

package io.switchboard.endpoint.client;

import static io.switchboard.endpoint.interop.Await.done;
import static io.switchboard.endpoint.interop.Await.take;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.endpoint.interop.Await;
import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;

/**
 * The client against Jetty 12's server over loopback: text, binary, fragmented and large
 * messages, pings both ways, close codes from either side, a subprotocol, permessage-deflate.
 * Jetty checks what it reads as strictly as Switchboard does (an unmasked client frame is a 1002).
 */
class JettyServerInteropTest {
    private static Server jetty;
    private static URI uri;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(2 << 20);
            container.setMaxBinaryMessageSize(2 << 20);
            container.setIdleTimeout(Duration.ofMinutes(1));
            container.addMapping("/echo", (request, response, callback) -> {
                if (request.hasSubProtocol("b")) {
                    response.setAcceptedSubProtocol("b");
                }
                return new JettyPeer();
            });
        }));
        jetty.start();
        uri = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/echo");
        client = WebSocketClient.builder().build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        jetty.stop();
    }

    @Test
    void textBinaryAndLargeMessages() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client.connect(uri, inbox));
        byte[] large = new byte[1_000_000];
        new Random(12).nextBytes(large);
        String largeText = "€𝄞".repeat(100_000);

        connection.send("hello jetty");
        connection.send(ByteBuffer.wrap(new byte[] {9, 8, 7}));
        connection.send(ByteBuffer.wrap(large));
        connection.send(largeText);

        assertEquals("hello jetty", take(inbox.texts));
        assertArrayEquals(new byte[] {9, 8, 7}, take(inbox.binaries));
        assertArrayEquals(large, take(inbox.binaries));
        assertEquals(largeText, take(inbox.texts));
        connection.close();
        assertEquals(CloseStatus.NORMAL, inbox.awaitDisconnect().code());
    }

    @Test
    void fragmentedMessagesFromJettyAreAssembled() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client.connect(uri, inbox));

        connection.send("fragments one- two- three");

        assertEquals("one-two-three", take(inbox.texts));
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void pingsGoBothWays() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client.connect(uri, inbox));

        connection.ping(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, take(inbox.pongs));

        connection.send("ping fromjetty");
        assertArrayEquals("fromjetty".getBytes(StandardCharsets.UTF_8), take(JettyPeer.PONGS));
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void closeCodesGoBothWays() throws Exception {
        Inbox closing = new Inbox();
        Connection connection = done(client.connect(uri, closing));
        connection.close(4100, "client done");
        assertEquals(CloseStatus.of(4100, "client done"), done(JettyPeer.closeOf(connection.request().localAddress().getPort())));
        assertEquals(4100, closing.awaitDisconnect().code());

        Inbox closed = new Inbox();
        done(client.connect(uri, closed)).send("close 4200 jetty-done");
        assertEquals(CloseStatus.of(4200, "jetty-done"), closed.awaitDisconnect());
    }

    @Test
    void aSubprotocolIsAgreed() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client.connect(uri, List.of("a", "b"), List.of(), inbox));

        assertEquals("b", connection.subprotocol());
        connection.close();
        inbox.awaitDisconnect();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void permessageDeflateWorksBothWays(boolean noContextTakeover) throws Exception {
        try (WebSocketClient deflating = WebSocketClient.builder()
                .perMessageDeflate(new PerMessageDeflate(noContextTakeover, noContextTakeover)).build()) {
            Inbox inbox = new Inbox();
            Connection connection = done(deflating.connect(uri, inbox));
            String text = "deflate me, ".repeat(20_000);

            for (int i = 0; i < 3; i++) {
                connection.send(text);
                connection.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                assertEquals(text, take(inbox.texts));
                assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), take(inbox.binaries));
            }

            assertEquals(List.of(PerMessageDeflate.NAME), connection.extensions());
            connection.close();
            inbox.awaitDisconnect();
        }
    }
}

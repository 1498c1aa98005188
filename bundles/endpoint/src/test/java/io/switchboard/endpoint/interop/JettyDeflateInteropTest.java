package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;

/**
 * permessage-deflate with a real client that offers it: Jetty 12's client negotiates the
 * extension, compresses what it sends and inflates what it receives; both directions must
 * arrive intact, small and large, text with multi-byte characters included.
 */
class JettyDeflateInteropTest {
    private final BlockingQueue<String> extensionsSeenByTheServer = new LinkedBlockingQueue<>();
    private WebSocketServer server;
    private WebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                extensionsSeenByTheServer.add(String.join(",", connection.extensions()));
            }

            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }
        };
        server = WebSocketServer.builder().host("127.0.0.1").port(0).perMessageDeflate(true).deflateContextTakeover(true).route("/echo", echo).start();
        client = new WebSocketClient();
        client.setMaxTextMessageSize(4 << 20); // Jetty's own default, 64 KiB, is below the messages sent here
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.stop();
    }

    @Test
    void messagesOfEverySizeRoundTripCompressed() throws Exception {
        TextCollector listener = new TextCollector();
        BlockingQueue<String> received = listener.received;
        ClientUpgradeRequest request = new ClientUpgradeRequest(URI.create("ws://127.0.0.1:" + server.port() + "/echo"));
        request.addExtensions("permessage-deflate");
        Session session = client.connect(listener, request).get(10, TimeUnit.SECONDS);

        assertTrue(session.getUpgradeResponse().getExtensions().stream()
                .anyMatch(extension -> extension.getName().equals("permessage-deflate")),
                "the server accepted permessage-deflate: " + session.getUpgradeResponse().getExtensions());
        assertEquals("permessage-deflate", extensionsSeenByTheServer.poll(10, TimeUnit.SECONDS));

        String small = "hi";
        String large = "Grüße aus Zürich, 你好 🌍 ".repeat(20_000); // ~600 KB, compressible
        for (String text : new String[] {small, large, small, large}) {
            session.sendText(text, Callback.NOOP);
            String echoed = received.poll(10, TimeUnit.SECONDS);
            assertTrue(text.equals(echoed), () -> "sent " + text.length() + " chars, got "
                    + (echoed == null ? "nothing" : echoed.length() + " different chars"));
        }
        session.close();
    }

    /** Public, because Jetty binds listener methods through method handles. */
    public static final class TextCollector implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
        }
    }
}

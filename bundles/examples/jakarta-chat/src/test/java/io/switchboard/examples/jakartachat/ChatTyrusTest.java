package io.switchboard.examples.jakartachat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;
import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/**
 * The Jakarta chat with a third-party Jakarta client, Tyrus's, beside the JDK's: both in one room,
 * the JSON going both ways, and the room told when the Tyrus session closes.
 */
class ChatTyrusTest {
    private static final long WAIT_SECONDS = 10;

    private final ChatRooms rooms = new ChatRooms();
    private final ClientManager tyrus = ClientManager.createClient();
    private JakartaEndpoints endpoints;
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        endpoints = JakartaEndpoints.builder().add(ChatEndpoint.config(rooms)).build();
        server = WebSocketServer.builder().name("jakarta-chat-tyrus").host("127.0.0.1").port(0).router(endpoints).start();
    }

    @AfterEach
    void stop() {
        tyrus.shutdown();
        server.stop();
        endpoints.close();
    }

    /** A Tyrus session whose text messages and close land in bounded waits. */
    private static final class Received extends Endpoint {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) messages::add);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed.complete(reason);
        }

        String next() throws InterruptedException {
            String message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(message, "no message within " + WAIT_SECONDS + " s");
            return message;
        }
    }

    @Test
    void aTyrusAndAJdkClientChatInOneRoom() throws Exception {
        URI lobby = URI.create("ws://127.0.0.1:" + server.port() + "/jakarta-chat/lobby");
        Received received = new Received();
        Session alice = tyrus.connectToServer(received, ClientEndpointConfig.Builder.create().build(), lobby);
        assertEquals("{\"type\":\"hello\",\"room\":\"lobby\"}", received.next());
        alice.getBasicRemote().sendText("{\"type\":\"join\",\"nickname\":\"alice\"}");
        assertEquals("{\"type\":\"welcome\",\"room\":\"lobby\",\"nickname\":\"alice\",\"online\":[\"alice\"]}", received.next());

        try (JdkWebSocketClient bob = JdkWebSocketClient.connect(lobby)) {
            bob.expectText("{\"type\":\"hello\",\"room\":\"lobby\"}");
            bob.send("{\"type\":\"join\",\"nickname\":\"bob\"}");
            bob.expectText("{\"type\":\"welcome\",\"room\":\"lobby\",\"nickname\":\"bob\",\"online\":[\"alice\",\"bob\"]}");
            assertEquals("{\"type\":\"joined\",\"nickname\":\"bob\"}", received.next());

            alice.getBasicRemote().sendText("{\"type\":\"say\",\"text\":\"caf\\u00e9 \\\"au lait\\\"\"}");
            String said = "{\"type\":\"message\",\"from\":\"alice\",\"text\":\"caf\u00e9 \\\"au lait\\\"\"}";
            assertEquals(said, received.next());
            bob.expectText(said);

            alice.getBasicRemote().sendText("{\"type\":");
            assertEquals("{\"type\":\"error\",\"reason\":\"bad JSON at character 8: a string was expected (every value is a string)\"}",
                    received.next());

            alice.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
            assertEquals(CloseReason.CloseCodes.NORMAL_CLOSURE,
                    received.closed.get(WAIT_SECONDS, TimeUnit.SECONDS).getCloseCode());
            bob.expectText("{\"type\":\"left\",\"nickname\":\"alice\"}");
            assertEquals(List.of("bob"), rooms.nicknames("lobby"));
        }
    }
}

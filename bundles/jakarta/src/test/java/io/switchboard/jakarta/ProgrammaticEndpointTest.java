package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

/** Programmatic endpoints with whole and partial handlers, and the Session and remotes they use. */
class ProgrammaticEndpointTest {

    public static class Commands extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    command(session, text);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            session.addMessageHandler(new MessageHandler.Partial<ByteBuffer>() {
                @Override
                public void onMessage(ByteBuffer part, boolean last) {
                    session.getAsyncRemote().sendText("binary " + part.remaining() + " " + last);
                }
            });
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong ->
                    session.getAsyncRemote().sendText("pong:" + StandardCharsets.UTF_8.decode(pong.getApplicationData())));
        }

        private void command(Session session, String text) throws Exception {
            switch (text) {
                case "basic" -> session.getBasicRemote().sendText("basic");
                case "future" -> {
                    session.getAsyncRemote().sendText("future").get(10, TimeUnit.SECONDS);
                    session.getBasicRemote().sendText("future done");
                }
                case "handler" -> session.getAsyncRemote().sendText("handler", result -> {
                    try {
                        // A blocking send in a SendHandler, which runs on a selector loop: it must not wait there.
                        session.getBasicRemote().sendText("handler " + result.isOK());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                case "object" -> session.getBasicRemote().sendObject(new ChatMessage("server", "object"));
                case "async object" -> session.getAsyncRemote().sendObject(7L).get(10, TimeUnit.SECONDS);
                case "parts" -> {
                    session.getBasicRemote().sendText("pa", false);
                    session.getBasicRemote().sendText("rts", true);
                }
                case "writer" -> {
                    try (Writer writer = session.getBasicRemote().getSendWriter()) {
                        writer.write("wri");
                        writer.write("ter");
                    }
                }
                case "ping" -> session.getAsyncRemote().sendPing(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8)));
                case "pong" -> session.getBasicRemote().sendPong(ByteBuffer.wrap("beat".getBytes(StandardCharsets.UTF_8)));
                case "open" -> session.getBasicRemote().sendText("open " + session.getOpenSessions().size());
                case "info" -> session.getBasicRemote().sendText(String.join("|", session.getRequestURI().toString(),
                        session.getQueryString(), session.getRequestParameterMap().toString(),
                        new TreeMap<>(session.getPathParameters()).toString(), session.getNegotiatedSubprotocol(),
                        String.valueOf(session.getUserProperties().get("deployed")), String.valueOf(session.isSecure()),
                        session.getProtocolVersion(), String.valueOf(!session.getId().isEmpty())));
                case "fail" -> throw new IOException("failed on purpose");
                default -> session.getBasicRemote().sendText("unknown " + text);
            }
        }

        @Override
        public void onError(Session session, Throwable error) {
            session.getAsyncRemote().sendText("onError " + error.getCause().getMessage());
        }
    }

    public static class Idle extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(300);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> session.getAsyncRemote().sendText(text));
        }
    }

    private static Served served;
    private static Tyrus tyrus;

    @BeforeAll
    static void serve() throws Exception {
        ServerEndpointConfig commands = ServerEndpointConfig.Builder.create(Commands.class, "/commands/{group}/{id}")
                .encoders(List.of(ChatMessage.Encoding.class)).subprotocols(List.of("cmd")).build();
        commands.getUserProperties().put("deployed", "yes");
        served = new Served(JakartaEndpoints.builder().add(Tyrus.Keeper.class)
                .add(commands)
                .add(ServerEndpointConfig.Builder.create(Idle.class, "/idle").build())
                .build());
        tyrus = new Tyrus(served);
    }

    @AfterAll
    static void stop() throws Exception {
        tyrus.close();
        served.close();
    }

    @Test
    void basicAndAsyncRemotesInEveryForm() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/commands/g/1"))) {
            assertEquals("basic", client.request("basic"));
            assertEquals("future", client.request("future"));
            assertEquals("future done", client.awaitText());
            assertEquals("handler", client.request("handler"));
            assertEquals("handler true", client.awaitText());
            assertEquals("{\"from\":\"server\",\"text\":\"object\"}", client.request("object"));
            assertEquals("7", client.request("async object"));
            assertEquals("parts", client.request("parts"));
            assertEquals("writer", client.request("writer"));
        }
    }

    @Test
    void pingsReachThePeerAndPongsTheHandler() throws Exception {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/commands/g/2"))) {
            client.send("ping");
            assertEquals("p1", new String(client.awaitPing(), StandardCharsets.UTF_8));
            assertEquals("pong:p1", client.awaitText());
        }
    }

    /** An unsolicited pong, a heartbeat the peer does not answer, reaches a third-party client's pong handler. */
    @Test
    void anUnsolicitedPongReachesThePeer() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/commands/g/4"))) {
            client.session.getBasicRemote().sendText("pong");
            ByteBuffer pong = client.pongs.poll(10, TimeUnit.SECONDS);
            assertEquals("beat", pong == null ? null : StandardCharsets.UTF_8.decode(pong).toString());
        }
    }

    @Test
    void aPartialHandlerGetsThePartsAsTheyArrive() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/commands/g/3"))) {
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[3]), false);
            assertEquals("binary 3 false", client.awaitText(), "the first part before the last is sent");
            client.session.getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[4]), true);
            assertEquals("binary 4 true", client.awaitText());
        }
    }

    @Test
    void theSessionDescribesItsRequest() {
        try (JdkWebSocketClient client = JdkWebSocketClient.to(served.uri("/commands/red/42?a=1&b=x%20y&a=2"))
                .subprotocols("cmd").connect()) {
            assertEquals("/commands/red/42?a=1&b=x%20y&a=2|a=1&b=x%20y&a=2|{a=[1, 2], b=[x y]}|{group=red, id=42}|cmd|yes|false|13|true",
                    client.request("info"));
        }
    }

    @Test
    void openSessionsAreThoseOfTheEndpoint() throws Exception {
        try (JdkWebSocketClient first = JdkWebSocketClient.connect(served.uri("/commands/g/4"));
                JdkWebSocketClient idle = JdkWebSocketClient.connect(served.uri("/idle"))) {
            JdkWebSocketClient second = JdkWebSocketClient.connect(served.uri("/commands/g/5"));
            assertEquals("x", idle.request("x"));
            assertEquals("open 2", first.request("open"));
            second.close();
            // The server's onClose may follow its Close frame: ask until it has, within a bound.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String answer;
            while (!(answer = first.request("open")).equals("open 1") && System.nanoTime() < deadline) {
                assertEquals("open 2", answer);
            }
            assertEquals("open 1", answer);
        }
    }

    @Test
    void anExceptionOfAHandlerGoesToOnErrorAndTheSessionStaysOpen() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/commands/g/6"))) {
            assertEquals("onError failed on purpose", client.request("fail"));
            assertEquals("basic", client.request("basic"));
        }
    }

    @Test
    void anIdleSessionIsClosedAfterItsMaxIdleTimeout() {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/idle"))) {
            long start = System.nanoTime();
            assertEquals("still", client.request("still"));
            JdkWebSocketClient.Closed closed = client.awaitClose();
            assertEquals(1001, closed.code());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300, "closed before 300 ms of silence");
        }
    }
}

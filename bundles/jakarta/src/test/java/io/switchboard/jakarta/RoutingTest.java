package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The specification's order among paths, over real sockets: exact first, then the longer literal prefix (PathTemplateTest in the endpoint checks the order itself). */
class RoutingTest {

    /** Answers every message with which endpoint it is and the path parameters it got. */
    public abstract static class Named {
        @OnMessage
        public String which(String text, Session session) {
            return getClass().getSimpleName() + " " + new java.util.TreeMap<>(session.getPathParameters());
        }
    }

    @ServerEndpoint("/rooms/lobby")
    public static class Lobby extends Named {
    }

    @ServerEndpoint("/rooms/{room}")
    public static class AnyRoom extends Named {
    }

    @ServerEndpoint("/{place}/lobby")
    public static class AnyLobby extends Named {
    }

    @ServerEndpoint("/{place}/{room}")
    public static class AnyPlace extends Named {
    }

    @ServerEndpoint("/{place}")
    public static class TopLevel extends Named {
    }

    private static Served served;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder()
                .add(AnyPlace.class).add(TopLevel.class).add(AnyLobby.class).add(AnyRoom.class).add(Lobby.class)
                .build());
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void exactBeforeTemplatesAndLiteralBeforeVariableFromTheLeft() {
        assertEquals("Lobby {}", answer("/rooms/lobby"));
        assertEquals("AnyRoom {room=kitchen}", answer("/rooms/kitchen"));
        assertEquals("AnyLobby {place=halls}", answer("/halls/lobby"));
        assertEquals("AnyPlace {place=halls, room=kitchen}", answer("/halls/kitchen"));
        assertEquals("TopLevel {place=halls}", answer("/halls"));
        assertEquals("AnyRoom {room=a b}", answer("/rooms/a%20b"));
    }

    @Test
    void pathsNoTemplateMatchesGet404() {
        assertEquals(404, JdkWebSocketClient.to(served.uri("/a/b/c")).refusal());
        assertEquals(404, JdkWebSocketClient.to(served.uri("/rooms/")).refusal());
    }

    private static String answer(String path) {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri(path))) {
            return client.request("which");
        }
    }
}

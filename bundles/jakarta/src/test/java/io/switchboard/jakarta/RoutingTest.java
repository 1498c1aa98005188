package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.jakarta.internal.UriTemplate;
import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The specification's order among paths: exact first, then the longer literal prefix. */
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

    @Test
    void theOrderDoesNotDependOnTheOrderOfDeployment() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/{a}/{b}", "/x/{b}", "/{a}/y", "/x/y/{c}", "/{a}/{b}/z", "/x/{b}/z"));
        List<UriTemplate> expected = new ArrayList<>();
        for (String path : List.of("/x/y/{c}", "/x/{b}", "/x/{b}/z", "/{a}/y", "/{a}/{b}", "/{a}/{b}/z")) {
            expected.add(UriTemplate.parse(path));
        }
        Random random = new Random(17);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(paths, random);
            List<UriTemplate> sorted = new ArrayList<>();
            for (String path : paths) {
                sorted.add(UriTemplate.parse(path));
            }
            Collections.sort(sorted);
            assertEquals(expected.toString(), sorted.toString());
        }
    }

    @Test
    void templatesMatchWholeSegmentsOnly() throws Exception {
        UriTemplate template = UriTemplate.parse("/rooms/{room}/users/{user}");
        assertEquals(Map.of("room", "r1", "user", "ann"), template.match("/rooms/r1/users/ann"));
        assertNull(template.match("/rooms/r1/users"));
        assertNull(template.match("/rooms/r1/users/ann/more"));
        assertNull(template.match("/rooms//users/ann"));
        assertEquals(Map.of("room", "a/b", "user", "ann"), template.matchRaw("/rooms/a%2Fb/users/ann"));
        assertNull(template.matchRaw("/rooms/%zz/users/ann"));
    }

    private static String answer(String path) {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri(path))) {
            return client.request("which");
        }
    }
}

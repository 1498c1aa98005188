package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The builder's routes with variables, over real sockets: an exact path before a template, a
 * longer literal prefix before a shorter one, the values in the request, 404 for what no route
 * matches, and routes that cannot be told apart refused when the server is built.
 */
class RouteTemplatesTest {
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = Servers.local()
                .route("/rooms/lobby", new Greeter("exact"))
                .route("/rooms/{room}", new Greeter("room"))
                .route("/rooms/{room}/log", new Greeter("log"))
                .route("/{area}/{room}/log", new Greeter("area log"))
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anExactPathWinsOverATemplateThatMatchesIt() {
        assertEquals("exact {}", greeting("/rooms/lobby"));
    }

    @Test
    void aTemplateGivesItsValuesToTheRequest() {
        assertEquals("room {room=kitchen}", greeting("/rooms/kitchen"));
        assertEquals("room {room=café}", greeting("/rooms/caf%C3%A9"));
    }

    @Test
    void theLongerLiteralPrefixWins() {
        assertEquals("log {room=kitchen}", greeting("/rooms/kitchen/log"));
        assertEquals("area log {area=halls, room=kitchen}", greeting("/halls/kitchen/log"));
    }

    @Test
    void aPathNoRouteMatchesGets404() {
        assertEquals(404, JdkWebSocketClient.to(uri("/rooms/")).refusal());
        assertEquals(404, JdkWebSocketClient.to(uri("/rooms/kitchen/log/today")).refusal());
        assertEquals(404, JdkWebSocketClient.to(uri("/halls")).refusal());
    }

    @Test
    void routesThatMatchTheSamePathsAreRefused() {
        IllegalArgumentException twins = assertThrows(IllegalArgumentException.class, () -> Servers.local()
                .route("/rooms/{room}", new Greeter("a"))
                .route("/rooms/{id}", new Greeter("b"))
                .start());
        assertTrue(twins.getMessage().contains("match the same paths"), twins.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Servers.local().route("/rooms/{room", new Greeter("c")));
        assertThrows(IllegalArgumentException.class, () -> Servers.local().route("/rooms/{room}/{room}", new Greeter("d")));
    }

    private String greeting(String path) {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(uri(path))) {
            return client.awaitText();
        }
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    /** Greets each connection with its name and the values of its route's variables, in order. */
    private record Greeter(String name) implements ConnectionHandler {
        @Override
        public void connect(Connection connection) {
            connection.send(name + " " + new TreeMap<>(connection.request().pathParameters()));
        }
    }
}

package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.ADOPT_LIVE_CONNECTIONS;
import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgi.framework.Constants.SERVICE_RANKING;

import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * Routes that are templates ({@code /rooms/{room}}): the order among them and exact paths, the
 * values a handler reads from the request, and hot swaps per template over real sockets.
 */
class TemplateRoutingTest {
    private Whiteboard whiteboard;
    private EndpointComponent endpoint;

    @BeforeEach
    void start() throws Exception {
        whiteboard = new Whiteboard();
        endpoint = whiteboard.endpoint();
    }

    @AfterEach
    void stop() throws Exception {
        whiteboard.close();
    }

    /** Answers each message with its tag and the request's path parameters, sorted by name. */
    private static final class Parameters implements ConnectionHandler {
        private final String tag;

        Parameters(String tag) {
            this.tag = tag;
        }

        @Override
        public void message(Connection connection, String text) {
            connection.send(tag + " " + new TreeMap<>(connection.request().pathParameters()) + " " + text);
        }
    }

    @Test
    void anExactPathWinsThenTheLongerLiteralPrefix() {
        whiteboard.register(new Parameters("any"), ROUTE, "/{place}/{room}");
        whiteboard.register(new Parameters("rooms"), ROUTE, "/rooms/{room}");
        whiteboard.register(new Parameters("lobby"), ROUTE, new String[] {"/rooms/lobby", "/{place}/lobby"});

        assertEquals("rooms {room=kitchen} 1", request("/rooms/kitchen", "1"));
        assertEquals("lobby {} 2", request("/rooms/lobby", "2"));
        assertEquals("lobby {place=halls} 3", request("/halls/lobby", "3"));
        assertEquals("any {place=halls, room=kitchen} 4", request("/halls/kitchen", "4"));
        assertEquals("rooms {room=a b} 5", request("/rooms/a%20b", "5"));
        assertEquals(404, whiteboard.refusal(endpoint, "/rooms"));
        assertEquals(404, whiteboard.refusal(endpoint, "/rooms/kitchen/sink"));
        assertEquals(404, whiteboard.refusal(endpoint, "/rooms/"));
    }

    @Test
    void ofTwoTemplatesThatMatchTheSamePathsTheBetterHandlerServes() throws Exception {
        ServiceRegistration<ConnectionHandler> better = whiteboard.register(new Parameters("better"), ROUTE, "/rooms/{id}",
                SERVICE_RANKING, 1);
        whiteboard.register(new Parameters("other"), ROUTE, "/rooms/{room}");
        JdkWebSocketClient live = whiteboard.connect(endpoint, "/rooms/a");
        assertEquals("better {id=a} 1", live.request("1"));

        better.unregister();
        assertEquals("other {room=b} 2", request("/rooms/b", "2"));
        assertEquals("other {id=a} 3", live.request("3"), "handed over; the request keeps its handshake's values");
    }

    @Test
    void aTemplatesConnectionsGoToItsReplacementWhenItGoes() throws Exception {
        Tagged first = new Tagged("first");
        ServiceRegistration<ConnectionHandler> registration = whiteboard.register(first, ROUTE, "/rooms/{room}");
        Tagged exact = new Tagged("exact");
        whiteboard.register(exact, ROUTE, "/rooms/lobby");
        JdkWebSocketClient a = whiteboard.connect(endpoint, "/rooms/a");
        JdkWebSocketClient b = whiteboard.connect(endpoint, "/rooms/b");
        JdkWebSocketClient lobby = whiteboard.connect(endpoint, "/rooms/lobby");
        assertEquals("first:1", a.request("1"));
        assertEquals("first:2", b.request("2"));
        assertEquals("exact:3", lobby.request("3"));

        registration.unregister();
        assertEquals(503, whiteboard.refusal(endpoint, "/rooms/c"), "vacated: its replacement may still come");
        assertEquals(404, whiteboard.refusal(endpoint, "/halls/c"));
        a.send("4"); // waits in the socket for a replacement
        Tagged second = new Tagged("second");
        whiteboard.register(second, ROUTE, "/rooms/{room}");
        second.next("adopt");
        second.next("adopt");
        second.assertNoEvents();
        assertEquals("second:4", a.awaitText());
        assertEquals("second:5", b.request("5"));
        assertEquals("exact:6", lobby.request("6"), "the exact path's connection stays with its handler");
        assertEquals("second:7", whiteboard.connect(endpoint, "/rooms/c").request("7"));
    }

    @Test
    void aBetterTemplateThatAdoptsTakesOnlyThePathsItIsTheBestFor() throws Exception {
        Tagged any = new Tagged("any");
        whiteboard.register(any, ROUTE, "/{place}/{room}");
        JdkWebSocketClient rooms = whiteboard.connect(endpoint, "/rooms/a");
        JdkWebSocketClient halls = whiteboard.connect(endpoint, "/halls/a");
        assertEquals("any:1", rooms.request("1"));
        assertEquals("any:2", halls.request("2"));

        Tagged adopter = new Tagged("adopter");
        whiteboard.register(adopter, ROUTE, "/rooms/{room}", ADOPT_LIVE_CONNECTIONS, true);
        adopter.next("adopt");
        assertEquals("adopter:3", rooms.request("3"));
        assertEquals("any:4", halls.request("4"));
        adopter.assertNoEvents();
    }

    private String request(String path, String text) {
        return whiteboard.connect(endpoint, path).request(text);
    }
}

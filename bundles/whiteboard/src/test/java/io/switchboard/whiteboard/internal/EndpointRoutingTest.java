package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.ENDPOINT_NAME;
import static io.switchboard.whiteboard.WhiteboardConstants.ENDPOINT_TARGET;
import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgi.framework.Constants.SERVICE_RANKING;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * How {@link EndpointComponent#handlersChanged} routes: each path to its best handler; a path
 * whose handler went away gets 503 while a replacement may still come (the swap grace period),
 * and its connections wait for one; a path nobody serves gets 404. A reconfiguration routes anew
 * without moving a live connection.
 */
class EndpointRoutingTest {
    private Whiteboard whiteboard;

    @BeforeEach
    void start() throws Exception {
        whiteboard = new Whiteboard();
    }

    @AfterEach
    void stop() throws Exception {
        whiteboard.close();
    }

    @Test
    void eachPathGoesToItsBestHandler() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        whiteboard.register(new Tagged("low"), ROUTE, "/p");
        whiteboard.register(new Tagged("high"), ROUTE, "/p", SERVICE_RANKING, 1);
        whiteboard.register(new Tagged("other"), ROUTE, new String[] {"/q", "/p"}, SERVICE_RANKING, -1);

        assertEquals("high:x", whiteboard.connect(endpoint, "/p").request("x"));
        assertEquals("other:y", whiteboard.connect(endpoint, "/q").request("y"), "shadowed on /p, the best on /q");
        assertEquals(404, whiteboard.refusal(endpoint, "/r"));
    }

    @Test
    void aVacatedPathGets503AndItsConnectionsWaitUntilAReplacementComes() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint(); // the default grace period: 30 s
        ServiceRegistration<ConnectionHandler> first = whiteboard.register(new Tagged("first"), ROUTE, "/swap");
        JdkWebSocketClient client = whiteboard.connect(endpoint, "/swap");
        assertEquals("first:1", client.request("1"));

        first.unregister();
        assertEquals(503, whiteboard.refusal(endpoint, "/swap"));
        client.send("2"); // waits in the socket: nobody reads it yet
        Tagged replacement = new Tagged("replacement");
        whiteboard.register(replacement, ROUTE, "/swap");
        replacement.next("adopt");
        assertEquals("replacement:2", client.awaitText());
        assertEquals("replacement:3", whiteboard.connect(endpoint, "/swap").request("3"));
    }

    @Test
    void aVacatedPathGets404OnceTheGracePeriodHasEnded() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint("swapGracePeriodMillis", 3_000L);
        whiteboard.register(new Tagged("gone"), ROUTE, "/gone").unregister();
        assertEquals(503, whiteboard.refusal(endpoint, "/gone"));

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (whiteboard.refusal(endpoint, "/gone") == 503) {
            assertTrue(System.nanoTime() - deadline < 0, "still 503 long after the grace period");
            Thread.sleep(50);
        }
        assertEquals(404, whiteboard.refusal(endpoint, "/gone"));
    }

    @Test
    void anUnusableConfigurationIsLoggedWithItsFileAndLeavesTheEndpointAsItWas() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(EndpointComponent.class.getName());
        log.addHandler(handler);
        try {
            EndpointComponent endpoint = whiteboard.endpoint("maxMessageSize", 1024);
            whiteboard.register(new Tagged("kept"), ROUTE, "/r");
            int port = endpoint.address().getPort();
            JdkWebSocketClient live = whiteboard.connect(endpoint, "/r");
            assertEquals("kept:1", live.request("1"));

            endpoint.modified(Whiteboard.configuration("maxMessageSize", "lots"),
                    Map.of("felix.fileinstall.filename", "file:/etc/a.cfg", "maxMessageSize", "lots"));
            endpoint.modified(Whiteboard.configuration("port", 70_000), Map.of());
            assertEquals(List.of(
                    "Rejected file:/etc/a.cfg: maxMessageSize = lots cannot be read as int; endpoint "
                            + endpoint.name() + " keeps running as it was",
                    "Rejected " + endpoint.name() + ": java.lang.IllegalArgumentException: port must be 0 to 65535, was 70000;"
                            + " endpoint " + endpoint.name() + " keeps running as it was"), logged);

            assertEquals(port, endpoint.address().getPort());
            assertEquals("kept:2", live.request("2"));
            JdkWebSocketClient fresh = whiteboard.connect(endpoint, "/r");
            fresh.sendTextAsync("x".repeat(2000)); // the limit is still 1024
            assertEquals(1009, fresh.awaitClose().code());
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void reconfiguringRoutesNewHandshakesAnewAndMovesNoLiveConnection() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint("name", "before");
        Tagged any = new Tagged("any");
        whiteboard.register(any, ROUTE, "/r");
        Tagged targeted = new Tagged("targeted");
        whiteboard.register(targeted, ROUTE, "/r", SERVICE_RANKING, 1, ENDPOINT_TARGET, "(" + ENDPOINT_NAME + "=after)");
        JdkWebSocketClient live = whiteboard.connect(endpoint, "/r");
        assertEquals("any:1", live.request("1"));

        endpoint.modified(Whiteboard.configuration("name", "after"), Map.of());
        assertEquals("targeted:2", whiteboard.connect(endpoint, "/r").request("2"));
        assertEquals("any:3", live.request("3"));
        any.next("connect");
        any.assertNoEvents();
    }
}

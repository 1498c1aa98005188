package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osgi.framework.Constants.SERVICE_RANKING;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.runtime.HandlerDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * {@link HandlerRegistry} tracking real services: handlers best first (highest ranking, then
 * lowest service id), and a change of a service's properties that keeps its live connections
 * where they are.
 */
class HandlerRegistryTest {
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
    void handlersAreOrderedByRankingThenByServiceId() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        ServiceRegistration<ConnectionHandler> firstRegistration = whiteboard.register(new Tagged("first"), ROUTE, "/same");
        long higher = id(whiteboard.register(new Tagged("higher"), ROUTE, "/same", SERVICE_RANKING, 5));
        long second = id(whiteboard.register(new Tagged("second"), ROUTE, "/same"));
        long lower = id(whiteboard.register(new Tagged("lower"), ROUTE, "/same", SERVICE_RANKING, -1));
        firstRegistration.setProperties(Whiteboard.properties(ROUTE, "/same", "changed", true)); // read last, still first of its ranking
        long first = id(firstRegistration);

        RuntimeDTO runtime = whiteboard.registry.runtime();
        assertEquals(List.of(higher), ids(runtime.boundHandlers));
        assertEquals(List.of(first, second, lower), ids(runtime.shadowedHandlers), "the rest, best first");
        assertEquals("higher:?", whiteboard.connect(endpoint, "/same").request("?"));
    }

    @Test
    void aChangedRankingReordersTheHandlers() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        long first = id(whiteboard.register(new Tagged("first"), ROUTE, "/same", SERVICE_RANKING, 1));
        ServiceRegistration<ConnectionHandler> second = whiteboard.register(new Tagged("second"), ROUTE, "/same");

        second.setProperties(Whiteboard.properties(ROUTE, "/same", SERVICE_RANKING, 2));
        assertEquals(List.of(id(second)), ids(whiteboard.registry.runtime().boundHandlers));
        assertEquals(List.of(first), ids(whiteboard.registry.runtime().shadowedHandlers));
        assertEquals("second:?", whiteboard.connect(endpoint, "/same").request("?"));
    }

    @Test
    void changedPropertiesKeepTheLiveConnectionsOfTheService() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        Tagged handler = new Tagged("A");
        ServiceRegistration<ConnectionHandler> registration = whiteboard.register(handler, ROUTE, "/live");
        JdkWebSocketClient client = whiteboard.connect(endpoint, "/live");
        assertEquals("A:1", client.request("1"));
        handler.next("connect");

        registration.setProperties(Whiteboard.properties(ROUTE, "/live", SERVICE_RANKING, 3));
        assertEquals("A:2", client.request("2"));
        handler.assertNoEvents(); // no adopt: the connection never left the service's binding
    }

    @Test
    void aRouteGivenUpKeepsItsLiveConnectionsAndTakesNoNewOnes() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        Tagged handler = new Tagged("A");
        ServiceRegistration<ConnectionHandler> registration = whiteboard.register(handler, ROUTE, "/live");
        JdkWebSocketClient client = whiteboard.connect(endpoint, "/live");
        assertEquals("A:1", client.request("1"));
        handler.next("connect");

        registration.setProperties(Whiteboard.properties(ROUTE, "/elsewhere"));
        assertEquals("A:2", client.request("2"), "the service is still registered: its connection stays");
        handler.assertNoEvents();
        assertEquals(404, whiteboard.refusal(endpoint, "/live"), "a route given up is unknown, not being replaced");
        assertEquals("A:3", whiteboard.connect(endpoint, "/elsewhere").request("3"));
    }

    private static long id(ServiceRegistration<?> registration) {
        return Whiteboard.serviceId(registration);
    }

    private static List<Long> ids(HandlerDTO[] handlers) {
        return Arrays.stream(handlers).map(handler -> handler.serviceId).toList();
    }
}

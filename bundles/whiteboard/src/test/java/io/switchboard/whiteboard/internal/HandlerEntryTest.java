package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.ADOPT_LIVE_CONNECTIONS;
import static io.switchboard.whiteboard.WhiteboardConstants.BLOCKING;
import static io.switchboard.whiteboard.WhiteboardConstants.ENDPOINT_NAME;
import static io.switchboard.whiteboard.WhiteboardConstants.ENDPOINT_SECURE;
import static io.switchboard.whiteboard.WhiteboardConstants.ENDPOINT_TARGET;
import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static io.switchboard.whiteboard.WhiteboardConstants.SUBPROTOCOLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

import io.switchboard.api.ConnectionHandler;

/** {@link HandlerEntry#read}: what the whiteboard learns from a handler service's properties alone. */
class HandlerEntryTest {
    private static final Map<String, Object> ENDPOINT_A = Map.of(ENDPOINT_NAME, "a", ENDPOINT_SECURE, false);
    private static final Map<String, Object> ENDPOINT_B = Map.of(ENDPOINT_NAME, "b", ENDPOINT_SECURE, true);

    private Framework framework;
    private BundleContext context;

    @BeforeEach
    void start() throws Exception {
        framework = Frameworks.start();
        context = framework.getBundleContext();
    }

    @AfterEach
    void stop() throws Exception {
        Frameworks.stop(framework);
    }

    @Test
    void readsRoutesRankingFlagsAndSubprotocols() {
        ServiceRegistration<ConnectionHandler> registration = register(ROUTE, new String[] {"/one", "/two"},
                Constants.SERVICE_RANKING, 7, SUBPROTOCOLS, List.of("chat.v2", "chat"), BLOCKING, "true",
                ADOPT_LIVE_CONNECTIONS, true);
        HandlerEntry entry = read(registration);
        assertNull(entry.failure());
        assertEquals(List.of("/one", "/two"), entry.routes());
        assertEquals(7, entry.ranking());
        assertEquals(Whiteboard.serviceId(registration), entry.serviceId());
        assertEquals(List.of("chat.v2", "chat"), entry.subprotocols());
        assertTrue(entry.blocking(), "\"true\" as a string");
        assertTrue(entry.adoptsLiveConnections());
        assertTrue(entry.binding().blocking(), "the binding takes the properties it hands handlers out by");
    }

    @Test
    void aSingleRouteDefaultsAndARankingThatIsNoIntegerCountsAsZero() {
        HandlerEntry entry = read(register(ROUTE, "/only", Constants.SERVICE_RANKING, "9"));
        assertEquals(List.of("/only"), entry.routes());
        assertEquals(0, entry.ranking(), "OSGi ignores a service.ranking that is not an Integer");
        assertFalse(entry.blocking());
        assertFalse(entry.adoptsLiveConnections());
        assertEquals(List.of(), entry.subprotocols());
        assertTrue(entry.serves(ENDPOINT_A), "no target: every endpoint");
        assertTrue(entry.serves(ENDPOINT_B));
    }

    @Test
    void theEndpointTargetChoosesTheEndpointsByTheirProperties() {
        HandlerEntry named = read(register(ROUTE, "/t", ENDPOINT_TARGET, "(" + ENDPOINT_NAME + "=a)"));
        assertTrue(named.serves(ENDPOINT_A));
        assertFalse(named.serves(ENDPOINT_B));

        HandlerEntry secureOnly = read(register(ROUTE, "/t", ENDPOINT_TARGET, "(" + ENDPOINT_SECURE + "=true)"));
        assertFalse(secureOnly.serves(ENDPOINT_A));
        assertTrue(secureOnly.serves(ENDPOINT_B));
    }

    @Test
    void invalidPropertiesMakeAFailedEntryThatServesNothing() {
        assertFailure("no switchboard.route property", register(Constants.SERVICE_RANKING, 1));
        assertFailure("invalid route: the path chat does not start with '/'", register(ROUTE, new String[] {"/ok", "chat"}));
        assertFailure("invalid route: the path /rooms/{room}x has a variable that is not a whole segment, or is empty or repeated: {room}x",
                register(ROUTE, "/rooms/{room}x"));
        HandlerEntry badTarget = read(register(ROUTE, "/t", ENDPOINT_TARGET, "(name=a"));
        assertTrue(badTarget.failure().startsWith("invalid switchboard.endpoint.target: "), badTarget.failure());
        assertFalse(badTarget.serves(ENDPOINT_A));
    }

    private void assertFailure(String reason, ServiceRegistration<ConnectionHandler> registration) {
        HandlerEntry entry = read(registration);
        assertEquals(reason, entry.failure());
        assertFalse(entry.valid());
        assertFalse(entry.serves(ENDPOINT_A), "a failed entry serves no endpoint");
    }

    private ServiceRegistration<ConnectionHandler> register(Object... properties) {
        return context.registerService(ConnectionHandler.class, new ConnectionHandler() {
        }, Whiteboard.properties(properties));
    }

    private HandlerEntry read(ServiceRegistration<ConnectionHandler> registration) {
        return HandlerEntry.read(new ServiceBinding(context, registration.getReference()));
    }
}

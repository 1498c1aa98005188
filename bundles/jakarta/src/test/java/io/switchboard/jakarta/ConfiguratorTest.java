package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/** The configurator's hooks, mapped onto the engine's handshake. */
class ConfiguratorTest {

    /** Overrides every hook: the last supported subprotocol, one shared endpoint instance. */
    public static class Everything extends ServerEndpointConfig.Configurator {
        static final Greeter SHARED = new Greeter();

        @Override
        public boolean checkOrigin(String origin) {
            return origin == null || !origin.contains("evil");
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            for (int i = requested.size() - 1; i >= 0; i--) {
                if (supported.contains(requested.get(i))) {
                    return requested.get(i);
                }
            }
            return "";
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            config.getUserProperties().put("user", request.getHeaders().getOrDefault("X-User", List.of("nobody")).get(0));
            config.getUserProperties().put("query", String.valueOf(request.getParameterMap()));
            response.getHeaders().put("X-Configured", List.of("yes"));
        }

        @Override
        public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(SHARED);
        }
    }

    /** Overrides one hook; the others go to the container's defaults through the API's ServiceLoader. */
    public static class OneHook extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            response.getHeaders().put("X-One-Hook", List.of("1"));
        }
    }

    @ServerEndpoint(value = "/configured", configurator = Everything.class, subprotocols = {"a", "b", "c"})
    public static class Greeter {
        static final AtomicInteger CREATED = new AtomicInteger();
        private final AtomicInteger messages = new AtomicInteger();

        public Greeter() {
            CREATED.incrementAndGet();
        }

        @OnMessage
        public String hello(String text, Session session) {
            return text + " " + session.getUserProperties().get("user") + " " + session.getUserProperties().get("query")
                    + " #" + messages.incrementAndGet() + " of " + CREATED.get();
        }
    }

    @ServerEndpoint(value = "/defaults", configurator = OneHook.class, subprotocols = {"x", "y"})
    public static class Defaults {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    private static Served served;
    private static Tyrus tyrus;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder().add(Tyrus.Keeper.class).add(Greeter.class).add(Defaults.class).build(),
                WebSocketServer.builder().allowedOrigins("*"));
        tyrus = new Tyrus(served);
    }

    @AfterAll
    static void stop() throws Exception {
        tyrus.close();
        served.close();
    }

    @Test
    void modifyHandshakeSeesTheRequestAndAddsHeadersAndSessionProperties() throws Exception {
        try (TyrusClient first = TyrusClient.connect(tyrus.client, served.uri("/configured?q=1"), List.of(), Map.of("X-User", "ann"));
                JdkWebSocketClient second = JdkWebSocketClient.to(served.uri("/configured")).header("X-User", "bob").connect()) {
            assertEquals(List.of("yes"), first.responseHeaders.get().get("X-Configured"));
            assertEquals("hi ann {q=[1]} #1 of 1", first.request("hi"));
            assertEquals("hey bob {} #2 of 1", second.request("hey"));
            assertEquals("hi ann {q=[1]} #3 of 1", first.request("hi"));
        }
    }

    @Test
    void checkOriginRefusesWith403AfterTheEnginesPolicy() {
        assertEquals(403, JdkWebSocketClient.to(served.uri("/configured")).origin("http://evil.example").refusal());
        try (JdkWebSocketClient client = JdkWebSocketClient.to(served.uri("/configured")).origin("http://good.example").connect()) {
            client.assertOpen();
        }
    }

    @Test
    void theConfiguratorNegotiatesTheSubprotocol() {
        try (JdkWebSocketClient client = JdkWebSocketClient.to(served.uri("/configured")).subprotocols("a", "c", "z").connect()) {
            assertEquals("c", client.subprotocol());
        }
    }

    @Test
    void hooksNotOverriddenAreTheContainersDefaults() throws Exception {
        try (TyrusClient client = TyrusClient.connect(tyrus.client, served.uri("/defaults"),
                List.of("z", "y", "x"), Map.of())) {
            assertEquals("y", client.session.getNegotiatedSubprotocol());
            assertEquals(List.of("1"), client.responseHeaders.get().get("X-One-Hook"));
            assertEquals("ok", client.request("ok"));
        }
    }
}

package io.switchboard.endpoint.limits;

import static io.switchboard.endpoint.limits.HeaderLimitsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.Handshake;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * Every HTTP error an upgrade request can earn, with its exact status and the headers that tell
 * the client what to do instead; each ends the connection. No handler hears of a refused request.
 */
class HandshakeErrorsTest {
    private final Recorder echo = new Recorder();
    private final Recorder throwing = new Recorder() {
        @Override
        public void validate(Handshake handshake) {
            throw new IllegalStateException("validate failed on purpose");
        }
    };
    private final Recorder guarded = new Recorder() {
        @Override
        public void validate(Handshake handshake) {
            if (handshake.header("Authorization").isEmpty()) {
                handshake.addResponseHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
                handshake.reject(401, "Unauthorized");
            }
        }
    };
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = Servers.local()
                .route("/echo", echo)
                .route("/throws", throwing)
                .route("/guarded", guarded)
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
        assertTrue(echo.connected.isEmpty() && throwing.connected.isEmpty() && guarded.connected.isEmpty(),
                "a refused handshake reached connect");
    }

    /** RFC 6455 §4.1 asks for HTTP/1.1 or higher; 505 would refuse major version 1 itself. */
    @Test
    void http10Gets400() throws Exception {
        RawResponse response = exchange(UpgradeRequest.head("GET /echo HTTP/1.0", UpgradeRequest.fields()));
        assertError(response, "HTTP/1.1 400 WebSocket upgrade needs HTTP/1.1");
    }

    @Test
    void anotherMajorVersionGets505() throws Exception {
        RawResponse response = exchange(UpgradeRequest.head("GET /echo HTTP/2.0", UpgradeRequest.fields()));
        assertError(response, "HTTP/1.1 505 HTTP Version Not Supported");
    }

    @Test
    void postGets405WithAllowGet() throws Exception {
        RawResponse response = exchange(UpgradeRequest.head("POST /echo HTTP/1.1", UpgradeRequest.fields()));
        assertError(response, "HTTP/1.1 405 Method Not Allowed");
        assertEquals(List.of("GET"), response.headers("Allow"));
    }

    @Test
    void upgradeWithoutWebsocketTokenGets400() throws Exception {
        RawResponse response = exchange(requestWith("Upgrade", "h2c"));
        assertBadRequest(response);
    }

    @Test
    void missingConnectionGets400() throws Exception {
        RawResponse response = exchange(requestWithout("Connection"));
        assertBadRequest(response);
    }

    @Test
    void connectionWithoutUpgradeTokenGets400() throws Exception {
        RawResponse response = exchange(requestWith("Connection", "keep-alive"));
        assertBadRequest(response);
    }

    @Test
    void missingHostGets400() throws Exception {
        RawResponse response = exchange(requestWithout("Host"));
        assertBadRequest(response);
    }

    /**
     * A request that carries the WebSocket fields but no {@code Upgrade} is a broken handshake
     * (400); without those fields it would be plain HTTP (see the next test).
     */
    @Test
    void missingUpgradeWithTheWebSocketFieldsGets400() throws Exception {
        assertBadRequest(exchange(requestWithout("Upgrade")));
    }

    /** Another protocol offered on a plain request, as the JDK's HTTP client offers h2c, is ignored. */
    @Test
    void aPlainRequestOfferingAnotherUpgradeIsPlainHttp() throws Exception {
        assertUpgradeRequired(exchange(UpgradeRequest.head("GET /echo HTTP/1.1",
                List.of("Host: 127.0.0.1", "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA"))));
    }

    @Test
    void plainGetOnRouteWithoutHttpHandlerGets426() throws Exception {
        RawResponse response = exchange(UpgradeRequest.head("GET /echo HTTP/1.1", List.of("Host: 127.0.0.1")));
        assertUpgradeRequired(response);
    }

    @Test
    void version8Gets426WithVersion13() throws Exception {
        RawResponse response = exchange(requestWith("Sec-WebSocket-Version", "8"));
        assertError(response, "HTTP/1.1 426 Upgrade Required");
        assertEquals(List.of("13"), response.headers("Sec-WebSocket-Version"));
    }

    @Test
    void keyOfFifteenBytesGets400() throws Exception {
        RawResponse response = exchange(requestWith("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA"));
        assertBadRequest(response);
    }

    @Test
    void keyThatIsNotBase64Gets400() throws Exception {
        RawResponse response = exchange(requestWith("Sec-WebSocket-Key", "not base64 at all!!!!!!!"));
        assertBadRequest(response);
    }

    @Test
    void missingKeyGets400() throws Exception {
        RawResponse response = exchange(requestWithout("Sec-WebSocket-Key"));
        assertBadRequest(response);
    }

    @Test
    void bareLineFeedGets400() throws Exception {
        RawResponse response = exchange(UpgradeRequest.to("/echo").replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1\n"));
        assertBadRequest(response);
    }

    @Test
    void obsoleteLineFoldingGets400() throws Exception {
        List<String> fields = UpgradeRequest.fields();
        fields.add("X-Folded: one");
        fields.add(" two");
        assertBadRequest(exchange(UpgradeRequest.head("GET /echo HTTP/1.1", fields)));
    }

    @Test
    void unknownPathGets404() throws Exception {
        RawResponse response = exchange(UpgradeRequest.to("/nowhere"));
        assertError(response, "HTTP/1.1 404 Not Found");
    }

    @Test
    void validateThrowingGets500() throws Exception {
        RawResponse response = exchange(UpgradeRequest.to("/throws"));
        assertError(response, "HTTP/1.1 500 Internal Server Error");
        assertTrue(throwing.failures.isEmpty(), "failure() is not called for validate: there is no connection");
    }

    @Test
    void validateRejectingWith401CarriesItsHeader() throws Exception {
        RawResponse response = exchange(UpgradeRequest.to("/guarded"));
        assertError(response, "HTTP/1.1 401 Unauthorized");
        assertEquals(List.of("Bearer realm=\"switchboard\""), response.headers("WWW-Authenticate"));
        assertTrue(response.headers("Sec-WebSocket-Accept").isEmpty());

        List<String> authorized = UpgradeRequest.fields();
        authorized.add("Authorization: Bearer token");
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.head("GET /guarded HTTP/1.1", authorized));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
            guarded.awaitConnect();
        }
    }

    /**
     * Once a refused client has read the answer and gone, nothing holds its connection: stopping
     * does not wait the close timeout for it (as it does not after a 404).
     */
    @Test
    void rejectedHandshakeIsReleasedOnceTheClientHasGone() throws Exception {
        Duration closeTimeout = Duration.ofSeconds(2);
        try (WebSocketServer own = Servers.local().closeTimeout(closeTimeout).route("/guarded", guarded).start()) {
            assertError(RawWebSocketClient.exchange(own.port(), UpgradeRequest.to("/guarded")), "HTTP/1.1 401 Unauthorized");
            long stopAt = System.nanoTime();
            own.stop();
            long took = RawWebSocketClient.millisSince(stopAt);
            assertTrue(took < closeTimeout.toMillis() / 2,
                    "stop() took " + took + " ms: the refused connection was kept after its client had closed");
        }
    }

    private RawResponse exchange(String request) throws Exception {
        return RawWebSocketClient.exchange(server.port(), request);
    }

    private static void assertBadRequest(RawResponse response) {
        assertEquals(400, response.status(), response::toString);
        assertTrue(response.statusLine().startsWith("HTTP/1.1 400 "), response::toString);
        assertEquals(Optional.of("close"), response.header("Connection"));
        assertEquals(Optional.of(Integer.toString(response.body().length)), response.header("Content-Length"));
    }

    private static void assertUpgradeRequired(RawResponse response) {
        assertError(response, "HTTP/1.1 426 Upgrade Required");
        assertEquals(List.of("websocket"), response.headers("Upgrade"));
    }

    private static String requestWith(String name, String value) {
        List<String> fields = UpgradeRequest.fields();
        fields.replaceAll(field -> field.startsWith(name + ":") ? name + ": " + value : field);
        return UpgradeRequest.head("GET /echo HTTP/1.1", fields);
    }

    private static String requestWithout(String name) {
        List<String> fields = UpgradeRequest.fields();
        fields.removeIf(field -> field.startsWith(name + ":"));
        return UpgradeRequest.head("GET /echo HTTP/1.1", fields);
    }
}

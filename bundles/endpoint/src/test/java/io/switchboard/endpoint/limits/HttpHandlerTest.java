package io.switchboard.endpoint.limits;

import static io.switchboard.endpoint.limits.HeaderLimitsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.HttpResponse;
import io.switchboard.api.Request;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/** Plain HTTP requests (no Upgrade) answered by the server's HttpHandler: its response, 404 for null, 500 for a throw, HEAD. */
class HttpHandlerTest {
    private static final byte[] PAGE = "<!doctype html><title>chat</title>".getBytes(StandardCharsets.UTF_8);

    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        server = Servers.local()
                .route("/echo", new Recorder())
                .httpHandler(HttpHandlerTest::serve)
                .start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static HttpResponse serve(Request request) {
        return switch (request.path()) {
            case "/page" -> HttpResponse.of(200, "text/html; charset=utf-8", PAGE).withHeader("Cache-Control", "no-store");
            case "/boom" -> throw new IllegalStateException("the page handler failed on purpose");
            default -> null;
        };
    }

    @Test
    void getIsAnsweredByTheHandler() throws Exception {
        RawResponse response = RawWebSocketClient.exchange(server.port(), get("GET", "/page"));
        assertEquals("HTTP/1.1 200 OK", response.statusLine());
        assertEquals(List.of("text/html; charset=utf-8"), response.headers("Content-Type"));
        assertEquals(List.of(Integer.toString(PAGE.length)), response.headers("Content-Length"));
        assertEquals(List.of("no-store"), response.headers("Cache-Control"));
        assertEquals(List.of("close"), response.headers("Connection"));
        assertArrayEquals(PAGE, response.body());
    }

    @Test
    void nullFromTheHandlerGets404() throws Exception {
        assertError(RawWebSocketClient.exchange(server.port(), get("GET", "/missing")), "HTTP/1.1 404 Not Found");
    }

    @Test
    void throwingHandlerGets500() throws Exception {
        assertError(RawWebSocketClient.exchange(server.port(), get("GET", "/boom")), "HTTP/1.1 500 Internal Server Error");
    }

    @Test
    void plainGetOnAWebSocketRouteTheHandlerDoesNotServeGets426() throws Exception {
        RawResponse response = RawWebSocketClient.exchange(server.port(), get("GET", "/echo"));
        assertError(response, "HTTP/1.1 426 Upgrade Required");
        assertEquals(List.of("websocket"), response.headers("Upgrade"));
    }

    /**
     * RFC 9110 §9.3.2: the same header fields as GET, no content. §8.6: a Content-Length in a
     * HEAD response, if sent, must be the length GET would have sent.
     */
    @Test
    void headGetsTheHeadersOfGetWithoutBody() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(get("HEAD", "/page"));
            RawResponse response = client.readResponseHead();
            assertEquals("HTTP/1.1 200 OK", response.statusLine());
            assertEquals(List.of("text/html; charset=utf-8"), response.headers("Content-Type"));
            assertEquals(List.of("no-store"), response.headers("Cache-Control"));
            client.expectEof();
            Optional<String> length = response.header("Content-Length");
            assertTrue(length.isEmpty() || length.get().equals(Integer.toString(PAGE.length)),
                    "HEAD announced Content-Length " + length.orElse("") + ", GET sends " + PAGE.length + " bytes");
        }
    }

    /** RFC 9110 §9.3.2: a server MUST NOT send content in the response to HEAD, errors included. */
    @Test
    void headErrorHasNoBody() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(get("HEAD", "/missing"));
            RawResponse response = client.readResponseHead();
            assertEquals("HTTP/1.1 404 Not Found", response.statusLine());
            client.expectEof();
        }
    }

    private static String get(String method, String path) {
        return UpgradeRequest.head(method + " " + path + " HTTP/1.1", List.of("Host: 127.0.0.1", "Accept: */*"));
    }
}

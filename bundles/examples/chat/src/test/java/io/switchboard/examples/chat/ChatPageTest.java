package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;

/** The page and its resources, fetched over HTTP from a plain-Java server. */
class ChatPageTest {
    // HTTP/1.1: the JDK client's default HTTP/2 would ask for an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebSocketServer server;

    @BeforeEach
    void start() throws IOException {
        server = WebSocketServer.builder().name("chat-page-test").host("127.0.0.1").port(0)
                .route("/chat", new ChatHandler(new Broadcasts())).httpHandler(new ChatPage()).start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertHeader(String expected, HttpResponse<?> response, String name) {
        assertEquals(Optional.of(expected), response.headers().firstValue(name), name);
    }

    @Test
    void pageIsServedOnRootAndIndexWithStrictHeaders() throws Exception {
        for (String path : new String[] {"/", "/index.html"}) {
            HttpResponse<String> response = request("GET", path);
            assertEquals(200, response.statusCode());
            assertHeader("text/html; charset=utf-8", response, "Content-Type");
            assertHeader("no-cache", response, "Cache-Control");
            assertHeader(ChatPage.CONTENT_SECURITY_POLICY, response, "Content-Security-Policy");
            assertHeader("nosniff", response, "X-Content-Type-Options");
            assertTrue(response.body().contains("<script src=\"chat.js\" defer></script>"), response.body());
            assertTrue(!response.body().contains("<script>") && !response.body().contains("style="),
                    "nothing inline, so the policy needs no 'unsafe-inline'");
        }
        String policy = ChatPage.CONTENT_SECURITY_POLICY;
        assertTrue(policy.startsWith("default-src 'none';") && !policy.contains("unsafe"), policy);
    }

    @Test
    void scriptAndStyleSheetAreServed() throws Exception {
        HttpResponse<String> script = request("GET", "/chat.js");
        assertEquals(200, script.statusCode());
        assertHeader("text/javascript; charset=utf-8", script, "Content-Type");
        assertHeader("no-cache", script, "Cache-Control");
        assertTrue(script.body().contains("'/chat'"), "connects to /chat on the page's host");
        assertTrue(!script.body().contains("innerHTML"), "user text is never parsed as HTML");

        HttpResponse<String> style = request("GET", "/chat.css");
        assertEquals(200, style.statusCode());
        assertHeader("text/css; charset=utf-8", style, "Content-Type");
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<String> response = request("HEAD", "/");
        assertEquals(200, response.statusCode());
        assertHeader("text/html; charset=utf-8", response, "Content-Type");
        assertEquals("", response.body());
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> post = request("POST", "/");
        assertEquals(405, post.statusCode());
        assertHeader("GET, HEAD", post, "Allow");
        assertEquals(404, request("GET", "/missing.html").statusCode());
        assertEquals(426, request("GET", "/chat").statusCode(), "the WebSocket route without an upgrade");
    }
}

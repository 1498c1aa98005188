package io.switchboard.examples.jakartachat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;

/** The page and its resources, fetched over HTTP from the server that serves the chat. */
class ChatPageTest {
    // HTTP/1.1: the JDK client's default HTTP/2 would ask for an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JakartaEndpoints endpoints;
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        endpoints = JakartaEndpoints.builder().add(ChatEndpoint.config(new ChatRooms())).build();
        server = WebSocketServer.builder().name("jakarta-chat-page").host("127.0.0.1").port(0)
                .router(endpoints).httpHandler(new ChatPage()).start();
    }

    @AfterEach
    void stop() {
        server.stop();
        endpoints.close();
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
    void pageScriptAndStyleSheetAreServedWithStrictHeaders() throws Exception {
        HttpResponse<String> page = request("GET", "/jakarta-chat?room=kitchen");
        assertEquals(200, page.statusCode());
        assertHeader("text/html; charset=utf-8", page, "Content-Type");
        assertHeader("no-cache", page, "Cache-Control");
        assertHeader(ChatPage.CONTENT_SECURITY_POLICY, page, "Content-Security-Policy");
        assertHeader("nosniff", page, "X-Content-Type-Options");
        assertTrue(page.body().contains("<script src=\"jakarta-chat.js\" defer></script>"), page.body());
        assertTrue(!page.body().contains("<script>") && !page.body().contains("style="),
                "nothing inline, so the policy needs no 'unsafe-inline'");

        HttpResponse<String> script = request("GET", "/jakarta-chat.js");
        assertEquals(200, script.statusCode());
        assertHeader("text/javascript; charset=utf-8", script, "Content-Type");
        assertTrue(script.body().contains("'/jakarta-chat/'"), "connects to /jakarta-chat/ROOM on the page's host");
        assertTrue(!script.body().contains("innerHTML"), "user text is never parsed as HTML");

        HttpResponse<String> style = request("GET", "/jakarta-chat.css");
        assertEquals(200, style.statusCode());
        assertHeader("text/css; charset=utf-8", style, "Content-Type");
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        HttpResponse<String> head = request("HEAD", "/jakarta-chat");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        HttpResponse<String> post = request("POST", "/jakarta-chat");
        assertEquals(405, post.statusCode());
        assertHeader("GET, HEAD", post, "Allow");
        assertEquals(404, request("GET", "/jakarta-chat.html").statusCode());
        assertEquals(426, request("GET", "/jakarta-chat/lobby").statusCode(), "the WebSocket path without an upgrade");
    }
}

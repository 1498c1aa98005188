package io.switchboard.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The page and its resources, fetched over HTTP from a plain-Java server that also serves the
 * echo on the page's own path.
 */
class EchoPageTest {
    // HTTP/1.1: the JDK client's default HTTP/2 would ask for an h2c upgrade.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebSocketServer server;

    @BeforeEach
    void start() throws IOException {
        server = WebSocketServer.builder().name("echo-page-test").host("127.0.0.1").port(0)
                .route("/echo", new EchoHandler()).httpHandler(new EchoPage()).start();
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

    private static void assertStrictHeaders(HttpResponse<?> response) {
        assertHeader("no-cache", response, "Cache-Control");
        assertHeader(EchoPage.CONTENT_SECURITY_POLICY, response, "Content-Security-Policy");
        assertHeader("nosniff", response, "X-Content-Type-Options");
        assertHeader("no-referrer", response, "Referrer-Policy");
    }

    @Test
    void aPlainGetOnTheEchoPathGetsThePageWithStrictHeaders() throws Exception {
        HttpResponse<String> response = request("GET", "/echo");
        assertEquals(200, response.statusCode());
        assertHeader("text/html; charset=utf-8", response, "Content-Type");
        assertStrictHeaders(response);
        String page = response.body();
        assertTrue(page.contains("<script src=\"echo.js\" defer></script>"), page);
        assertTrue(page.contains("<link rel=\"stylesheet\" href=\"echo.css\">"), page);
        assertTrue(!page.contains("<script>") && !page.contains("style=")
                        && !Pattern.compile("\\son[a-z]+=").matcher(page).find(),
                "nothing inline (no script, style or event attribute), so the policy needs no 'unsafe-inline'");
        assertTrue(!page.contains("http:") && !page.contains("https:") && !page.contains("//"),
                "no external script, style or link");
        String policy = EchoPage.CONTENT_SECURITY_POLICY;
        assertTrue(policy.startsWith("default-src 'none';") && !policy.contains("unsafe"), policy);
    }

    @Test
    void scriptAndStyleSheetAreServedWithTheirTypes() throws Exception {
        HttpResponse<String> script = request("GET", "/echo.js");
        assertEquals(200, script.statusCode());
        assertHeader("text/javascript; charset=utf-8", script, "Content-Type");
        assertStrictHeaders(script);
        assertTrue(script.body().contains("location.host + '/echo'"), "connects to /echo on the page's host");
        assertTrue(script.body().contains("'wss://'") && script.body().contains("'ws://'"), "wss: under https:");
        assertTrue(!script.body().contains("innerHTML") && !script.body().contains("eval("),
                "text is never parsed as HTML or code");

        HttpResponse<String> style = request("GET", "/echo.css");
        assertEquals(200, style.statusCode());
        assertHeader("text/css; charset=utf-8", style, "Content-Type");
        assertStrictHeaders(style);
        assertTrue(style.body().contains("#state"), style.body());
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() throws Exception {
        HttpResponse<String> get = request("GET", "/echo");
        HttpResponse<String> head = request("HEAD", "/echo");
        assertEquals(200, head.statusCode());
        assertHeader("text/html; charset=utf-8", head, "Content-Type");
        assertStrictHeaders(head);
        assertEquals(get.headers().firstValue("Content-Length"), head.headers().firstValue("Content-Length"));
        assertEquals("", head.body());
    }

    @Test
    void otherMethodsAreRefusedWith405AndOtherPathsWith404() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS"}) {
            for (String path : new String[] {"/echo", "/echo.js", "/echo.css"}) {
                HttpResponse<String> response = request(method, path);
                assertEquals(405, response.statusCode(), method + " " + path);
                assertHeader("GET, HEAD", response, "Allow");
            }
        }
        assertEquals(404, request("GET", "/").statusCode());
        assertEquals(404, request("GET", "/echo.html").statusCode());
        assertEquals(404, request("GET", "/echo/").statusCode());
    }

    @Test
    void anUpgradeOnThePagesPathStillReachesTheEcho() throws Exception {
        assertEquals(200, request("GET", "/echo").statusCode());
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))) {
            assertEquals("hello", client.request("hello"));
        }
    }
}

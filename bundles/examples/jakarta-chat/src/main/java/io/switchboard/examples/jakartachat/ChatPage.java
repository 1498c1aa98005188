package io.switchboard.examples.jakartachat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.HttpHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.api.Request;

/**
 * Serves the Jakarta chat's browser client: the page on {@code /jakarta-chat} (the room is its
 * query's {@code room}, by default {@code lobby}), its script on {@code /jakarta-chat.js} and its
 * style sheet on {@code /jakarta-chat.css}. The script connects to {@code /jakarta-chat/ROOM} on
 * the page's own host. These paths leave the native chat's ({@code /}, {@code /chat.js} …) free,
 * so both examples run on one endpoint.
 *
 * <p>As the native chat's page: nothing inline, so the Content-Security-Policy allows scripts,
 * styles and connections from the page's own origin only, and every response says
 * {@code Cache-Control: no-cache}, so that a browser picks up a new version after a bundle
 * update. Immutable; runs on selector threads.
 */
@Component(service = HttpHandler.class, property = {
        "switchboard.route=/jakarta-chat", "switchboard.route=/jakarta-chat.js", "switchboard.route=/jakarta-chat.css"})
public final class ChatPage implements HttpHandler {
    /** The policy sent with every resource. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, HttpResponse> resources = Map.of(
            "/jakarta-chat", resource("jakarta-chat.html", "text/html; charset=utf-8"),
            "/jakarta-chat.js", resource("jakarta-chat.js", "text/javascript; charset=utf-8"),
            "/jakarta-chat.css", resource("jakarta-chat.css", "text/css; charset=utf-8"));

    @Override
    public HttpResponse serve(Request request) {
        HttpResponse response = resources.get(request.path());
        if (response == null) {
            return null;
        }
        // The server answers HEAD itself, from the response to GET.
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return HttpResponse.text(405, "Method Not Allowed\n").withHeader("Allow", "GET, HEAD");
        }
        return response;
    }

    private static HttpResponse resource(String name, String contentType) {
        try (InputStream in = ChatPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return HttpResponse.of(200, contentType, in.readAllBytes())
                    .withHeader("Cache-Control", "no-cache")
                    .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .withHeader("X-Content-Type-Options", "nosniff")
                    .withHeader("Referrer-Policy", "no-referrer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

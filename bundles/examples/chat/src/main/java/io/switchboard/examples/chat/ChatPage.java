package io.switchboard.examples.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.HttpHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.api.Request;

/**
 * Serves the chat's browser client: the page on {@code /} and {@code /index.html}, its script on
 * {@code /chat.js} and its style sheet on {@code /chat.css}. The script connects to {@code /chat}
 * on the page's own host, so the page works wherever the endpoint listens.
 *
 * <p>Nothing is inline, so the Content-Security-Policy can be strict: scripts, styles and
 * connections from the page's own origin only ({@code connect-src 'self'} covers {@code ws:} and
 * {@code wss:} to the same host and port). Every response says {@code Cache-Control: no-cache},
 * so that a browser picks up a new version after a bundle update.
 */
@Component(service = HttpHandler.class, property = {
        "switchboard.route=/", "switchboard.route=/index.html",
        "switchboard.route=/chat.js", "switchboard.route=/chat.css"})
public final class ChatPage implements HttpHandler {
    /** The policy sent with every resource. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, HttpResponse> resources;

    public ChatPage() {
        HttpResponse page = resource("chat.html", "text/html; charset=utf-8");
        resources = Map.of(
                "/", page,
                "/index.html", page,
                "/chat.js", resource("chat.js", "text/javascript; charset=utf-8"),
                "/chat.css", resource("chat.css", "text/css; charset=utf-8"));
    }

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

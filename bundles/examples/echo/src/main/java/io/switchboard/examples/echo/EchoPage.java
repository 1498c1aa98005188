package io.switchboard.examples.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.HttpHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.api.Request;

/**
 * Serves the echo's browser client: the page on {@code /echo} (a plain GET there is a request for
 * the page; an upgrade on the same path goes to {@link EchoHandler}), its script on
 * {@code /echo.js} and its style sheet on {@code /echo.css}. The script connects to {@code /echo}
 * on the page's own host, so the page works wherever the endpoint listens.
 *
 * <p>Nothing is inline, so the Content-Security-Policy can be strict: scripts, styles and
 * connections from the page's own origin only. Every response says {@code Cache-Control: no-cache},
 * so that a browser picks up a new version after a bundle update. Stateless: it runs on any
 * selector thread, and the responses are built once.
 */
@Component(service = HttpHandler.class, property = {
        "switchboard.route=/echo", "switchboard.route=/echo.js", "switchboard.route=/echo.css"})
public final class EchoPage implements HttpHandler {
    /** The policy sent with every resource ({@code connect-src 'self'} covers ws: and wss: to the same host and port). */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, HttpResponse> resources = Map.of(
            "/echo", resource("echo.html", "text/html; charset=utf-8"),
            "/echo.js", resource("echo.js", "text/javascript; charset=utf-8"),
            "/echo.css", resource("echo.css", "text/css; charset=utf-8"));

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
        try (InputStream in = EchoPage.class.getResourceAsStream(name)) {
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

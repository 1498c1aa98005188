package io.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * Waits until an endpoint serves a WebSocket route, from anywhere that reaches it over the network:
 * a plain class path, a Karaf or a server in another process, an endpoint whose framework the test
 * does not run in. Inside the framework, {@link TestEndpoint#awaitRoute} asks the whiteboard
 * instead, which has none of the limitation below.
 *
 * <p>It asks with a plain HTTP {@code GET} of the route, without {@code Upgrade}: the endpoint
 * answers 426 (Upgrade Required) on a path a handler serves and 404 elsewhere, without calling
 * any handler, so the handler under test sees no probe connection. Nothing announces across the
 * network that a route has come, so it asks again every {@value #INTERVAL_MILLIS} ms until the
 * answer is 426 or the time is up.
 *
 * <p>Limitation: a path that an {@code HttpHandler} of the endpoint also serves (a page for
 * browsers on the WebSocket's own path, as the echo example has) cannot be probed this way. The
 * plain GET gets that handler's answer (200 and its page), never 426, so the wait fails at its
 * timeout even though the WebSocket route is served.
 *
 * <p>Any thread may call it; each call uses its own HTTP client.
 */
public final class RouteProbe {
    static final long INTERVAL_MILLIS = 25;
    private static final int SERVED = 426;

    private RouteProbe() {
    }

    /** Waits until {@code route} ({@code ws://…}) is served; fails the test if it is not within {@code timeout}. */
    public static void awaitServed(URI route, Duration timeout) {
        awaitServed(route, timeout, null);
    }

    /**
     * Waits until {@code route} ({@code ws://…} or {@code wss://…}) is served, trusting the server
     * through {@code tls} for wss (the JDK's default context when null); fails the test with the
     * last answer (a status, or why there was none) if it is not within {@code timeout}.
     */
    public static void awaitServed(URI route, Duration timeout, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // HTTP/2 would offer an h2c upgrade, which is not the question
                .connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        HttpClient http = builder.build();
        HttpRequest request = HttpRequest.newBuilder(httpUri(route)).timeout(timeout).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == SERVED) {
                    return;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString(); // not listening yet, most likely
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + route, e);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("no handler serves " + route + " within " + timeout
                        + " (the last plain GET of it got " + last + ", not 426)");
            }
            pause();
        }
    }

    /** The http or https URI of the same route. */
    static URI httpUri(URI route) {
        String scheme = switch (String.valueOf(route.getScheme())) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> throw new IllegalArgumentException("not a ws:// or wss:// URI: " + route);
        };
        return URI.create(scheme + route.toString().substring(route.getScheme().length()));
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a route", e);
        }
    }
}

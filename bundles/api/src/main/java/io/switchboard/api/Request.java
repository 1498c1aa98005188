package io.switchboard.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The opening HTTP request of a WebSocket connection, as the server accepted it
 * (WebSocket++ {@code get_request()}, {@code get_resource()}, {@code get_header()}).
 *
 * <p>The server has already checked it against RFC 6455 §4.2.1 — a malformed upgrade request,
 * including one whose target is not a valid URI, is answered with an HTTP error and never
 * reaches a handler. A {@code Request} is read-only; the one a {@link Connection} returns is
 * immutable and safe to use from any thread for as long as it is referenced.
 */
@ProviderType
public interface Request {

    /** The request method: always {@code GET} for a WebSocket handshake. */
    String method();

    /**
     * The request target as the client sent it, not normalised: usually the origin form such as
     * {@code /chat?room=1}, an absolute URI if the client sent one.
     */
    URI uri();

    /** The path of {@link #uri()}, percent-decoded: {@code /chat} for {@code /chat?room=1}. */
    default String path() {
        return uri().getPath();
    }

    /**
     * The values of the variables of the route template that accepted this request, by name:
     * {@code {room=lobby}} for {@code /rooms/lobby} on a handler of {@code /rooms/{room}}. Empty
     * when the route was an exact path. Fixed at the handshake: a connection handed over to a
     * handler of another template in a hot swap keeps them.
     */
    default Map<String, String> pathParameters() {
        return Map.of();
    }

    /** The query of {@link #uri()} as sent, still percent-encoded, without the {@code ?}; {@code ""} if none. */
    default String query() {
        return Objects.requireNonNullElse(uri().getRawQuery(), "");
    }

    /**
     * The value of the first header field with this name, the name compared case-insensitively.
     *
     * @see #headers(String)
     */
    default Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The values of every header field with this name, the name compared case-insensitively,
     * in the order they were sent; an empty list if there is none. Each element is one field
     * line's value without surrounding whitespace; comma-separated lists are not split, because
     * how to split them depends on the header. The list is unmodifiable.
     */
    List<String> headers(String name);

    /** The names of the header fields present, in lower case, each once. The set is unmodifiable. */
    Set<String> headerNames();

    /**
     * The {@code Origin} header: the web origin of the page that opened the connection. Browsers
     * always send it, other clients may not. Browsers apply no same-origin policy to WebSocket,
     * so checking it is what defends against cross-site WebSocket hijacking.
     */
    default Optional<String> origin() {
        return header("Origin");
    }

    /**
     * The address of the peer of the TCP connection. Behind a proxy this is the proxy; the
     * original client is then found in headers such as {@code Forwarded}, if the proxy is trusted.
     */
    InetSocketAddress remoteAddress();

    /** The local address the connection was accepted on. */
    InetSocketAddress localAddress();

    /**
     * Tells whether the connection runs over TLS ({@code wss}). Behind a proxy that terminates
     * TLS this is false.
     */
    boolean secure();
}

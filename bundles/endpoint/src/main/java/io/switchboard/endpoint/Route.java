package io.switchboard.endpoint;

import java.util.Map;

/**
 * The answer of a {@link Router} for a handshake's path: a binding to accept it with, or the
 * HTTP status that refuses it.
 *
 * @param binding        the binding for the new connection, or null when refused
 * @param status         the refusal's status (404 for an unknown path, 503 while its handler is
 *                       being replaced); 0 when accepted
 * @param pathParameters the values of the variables of the {@link PathTemplate} that matched,
 *                       which the connection's request gives its handler; empty for an exact path
 */
public record Route(HandlerBinding binding, int status, Map<String, String> pathParameters) {
    /** 404: no handler serves the path. */
    public static final Route NOT_FOUND = new Route(null, 404);
    /** 503: the path's handler went away and its replacement is not there yet. */
    public static final Route UNAVAILABLE = new Route(null, 503);

    public Route {
        if ((binding == null) == (status == 0)) {
            throw new IllegalArgumentException("a route has either a binding or a refusal status");
        }
        pathParameters = Map.copyOf(pathParameters);
    }

    public Route(HandlerBinding binding, int status) {
        this(binding, status, Map.of());
    }

    public static Route to(HandlerBinding binding) {
        return new Route(binding, 0);
    }
}

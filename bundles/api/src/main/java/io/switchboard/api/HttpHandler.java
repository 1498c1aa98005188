package io.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers plain HTTP requests, those without an {@code Upgrade} header, that reach a WebSocket
 * endpoint (WebSocket++ {@code http_handler}): typically to serve the page whose script opens the
 * WebSocket. One request per TCP connection: the server closes it after the response.
 *
 * <p>It runs on a selector thread and must not block.
 */
@ConsumerType
@FunctionalInterface
public interface HttpHandler {

    /**
     * @return the response, or {@code null} to let the server answer: 426 on a WebSocket route
     *     (with {@code Upgrade: websocket}), 404 elsewhere
     */
    HttpResponse serve(Request request);
}

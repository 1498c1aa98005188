package io.switchboard.endpoint;

/**
 * Decides where a new handshake goes, by its request path. Called on a selector thread for every
 * handshake: it must be fast and must not block (the whiteboard answers from an immutable
 * snapshot it swaps when services come and go).
 */
@FunctionalInterface
public interface Router {
    Route route(String path);
}

package io.switchboard.handshake;

import java.util.Optional;

/**
 * A server's answer to a client's upgrade request that the client refuses (RFC 6455 §4.1: the
 * client fails the connection): a status other than 101, a missing or wrong header, something
 * agreed that was not offered. A redirect is reported with its {@code Location}, not followed.
 */
public final class WebSocketHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String location;

    /**
     * @param status   the response's status
     * @param location the {@code Location} of a redirect; null if none
     */
    public WebSocketHandshakeException(String message, int status, String location) {
        super(message);
        this.status = status;
        this.location = location;
    }

    /** The status of the response that was refused. */
    public int status() {
        return status;
    }

    /** Where a redirect (3xx) pointed; empty for any other answer. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }
}

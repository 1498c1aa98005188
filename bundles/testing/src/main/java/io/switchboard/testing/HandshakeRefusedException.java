package io.switchboard.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server answered the opening handshake with an HTTP status other than 101. Unchecked, so
 * that a test expecting success fails on it as on any error, and one expecting a refusal can
 * {@code assertThrows} it and read the status and the headers.
 */
public final class HandshakeRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public HandshakeRefusedException(int status, Map<String, List<String>> headers, Throwable cause) {
        super("the handshake was answered with HTTP " + status, cause);
        this.status = status;
        this.headers.putAll(headers);
    }

    public int status() {
        return status;
    }

    /** The first value of the response header with this name, compared case-insensitively. */
    public Optional<String> header(String name) {
        return headers.getOrDefault(name, List.of()).stream().findFirst();
    }
}

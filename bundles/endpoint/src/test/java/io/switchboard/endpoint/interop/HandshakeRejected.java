package io.switchboard.endpoint.interop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The server refused the opening handshake with an HTTP status, as a client library saw it. */
final class HandshakeRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    HandshakeRejected(int status, Map<String, List<String>> headers, Throwable cause) {
        super("handshake answered with " + status, cause);
        this.status = status;
        this.headers.putAll(headers);
    }

    int status() {
        return status;
    }

    /** The first value of the response header with this name, compared case-insensitively. */
    Optional<String> header(String name) {
        return headers.getOrDefault(name, List.of()).stream().findFirst();
    }
}

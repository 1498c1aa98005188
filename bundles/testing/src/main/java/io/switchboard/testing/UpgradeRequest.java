package io.switchboard.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The opening handshake written by hand (RFC 6455 §4.1): request heads a test may break on
 * purpose, and the checks of the server's 101. {@link RawWebSocketClient} speaks it over one
 * socket; fleets of idle connections in a child JVM use the same bytes on their own channels.
 */
public final class UpgradeRequest {
    /** The sample nonce of RFC 6455 §1.3, and the accept value a server must answer to it. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    public static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private UpgradeRequest() {
    }

    /** The header fields of a valid upgrade request with the sample key, as a list a test may change. */
    public static List<String> fields() {
        return new ArrayList<>(List.of(
                "Host: 127.0.0.1",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + KEY,
                "Sec-WebSocket-Version: 13"));
    }

    /** A request head: the request line, the fields, and the blank line. */
    public static String head(String requestLine, List<String> fields) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** A valid upgrade request for {@code path} with the sample key, and these fields added. */
    public static String to(String path, String... extraFields) {
        List<String> fields = fields();
        fields.addAll(List.of(extraFields));
        return head("GET " + path + " HTTP/1.1", fields);
    }

    /** A valid upgrade request with its own {@code Host} and key, in bytes, as the fleets send it. */
    public static byte[] bytes(String hostPort, String path, String key) {
        return head("GET " + path + " HTTP/1.1", List.of(
                "Host: " + hostPort,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + key,
                "Sec-WebSocket-Version: 13")).getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh random {@code Sec-WebSocket-Key}. */
    public static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} value a server must answer to {@code key}. */
    public static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    /** The length of the response head through its blank line in {@code bytes[0..length)}, or -1 if it is not all there. */
    public static int headLength(byte[] bytes, int length) {
        return headEnd(bytes, 0, length);
    }

    /** Where the head that starts at {@code from} ends, just past its blank line, in {@code bytes[from..to)}; -1 if it does not. */
    static int headEnd(byte[] bytes, int from, int to) {
        outer:
        for (int i = from; i + HEAD_END.length <= to; i++) {
            for (int j = 0; j < HEAD_END.length; j++) {
                if (bytes[i + j] != HEAD_END[j]) {
                    continue outer;
                }
            }
            return i + HEAD_END.length;
        }
        return -1;
    }

    /** Fails the test unless the response accepts the sample {@link #KEY}. */
    public static void assertSwitchingProtocols(RawResponse response) {
        assertSwitchingProtocols(response, KEY);
    }

    /** Fails the test unless the response is a 101 with {@code Upgrade: websocket} and the accept value of {@code key}. */
    public static void assertSwitchingProtocols(RawResponse response, String key) {
        String problem = problem(response, key);
        if (problem != null) {
            throw new AssertionError(problem + ": " + response);
        }
    }

    /**
     * What is wrong with a complete response head (with or without its blank line) as the answer to
     * {@code key}, or null if it switches protocols: for callers that count failures rather than throw.
     */
    public static String checkSwitchingProtocols(String head, String key) {
        String withoutBlankLine = head.endsWith("\r\n\r\n") ? head.substring(0, head.length() - 4) : head;
        try {
            return problem(RawResponse.parseHead(withoutBlankLine), key);
        } catch (AssertionError malformed) {
            return malformed.getMessage();
        }
    }

    private static String problem(RawResponse response, String key) {
        if (!response.statusLine().equals("HTTP/1.1 101 Switching Protocols")) {
            return "the status line is '" + response.statusLine() + "'";
        }
        Optional<String> upgrade = response.header("Upgrade");
        if (!upgrade.equals(Optional.of("websocket"))) {
            return "the Upgrade field is " + upgrade.orElse("missing");
        }
        Optional<String> accept = response.header("Sec-WebSocket-Accept");
        if (!accept.equals(Optional.of(acceptFor(key)))) {
            return "Sec-WebSocket-Accept is " + accept.orElse("missing") + ", expected " + acceptFor(key);
        }
        return null;
    }
}

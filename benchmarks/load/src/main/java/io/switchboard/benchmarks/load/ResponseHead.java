package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The status and headers of an HTTP/1.1 response head. Repeated headers are joined with ", ". */
final class ResponseHead {
    final int status;
    private final Map<String, String> headers;

    private ResponseHead(int status, Map<String, String> headers) {
        this.status = status;
        this.headers = headers;
    }

    /** Parses a head (status line and header lines, CRLF-separated, up to and without the empty line). */
    static ResponseHead parse(byte[] bytes, int length) throws ProtocolException {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        int end = lineEnd(text, 0);
        String statusLine = text.substring(0, end);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new ProtocolException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status line: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (int start = end + 2; start < text.length(); start = end + 2) {
            end = lineEnd(text, start);
            String line = text.substring(start, end);
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new ResponseHead(status, headers);
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf("\r\n", from);
        return end < 0 ? text.length() : end;
    }

    /** The header's value, or null; the name is matched case-insensitively. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the comma-separated header contains the token, ignoring case. */
    boolean headerHasToken(String name, String token) {
        String value = header(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}

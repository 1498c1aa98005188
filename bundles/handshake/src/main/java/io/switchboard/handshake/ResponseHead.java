package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes one response head, checking everything that goes into it. A status line or header that
 * could carry a CR or LF would let whoever controls a value (a reason, a subprotocol, a header a
 * handler adds) write headers or a whole response of their own: response splitting.
 */
final class ResponseHead {
    private final StringBuilder head = new StringBuilder(256);
    /** Lower-case names this response writes itself, which extra headers may not repeat. */
    private final Set<String> ownNames;

    /**
     * @param ownNames the lower-case names of the headers the caller writes itself; a second
     *                 {@code Content-Length} or {@code Connection} from the extra headers would
     *                 make the response ambiguous
     */
    ResponseHead(int status, String reason, Set<String> ownNames) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        checkReason(reason);
        this.ownNames = ownNames;
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    }

    /** One of this response's own headers. */
    ResponseHead header(String name, String value) {
        checkHeader(new String[] {name, value});
        head.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** Headers from the caller, each {@code {name, value}}; none may be one of the own ones. */
    ResponseHead extraHeaders(List<String[]> headers) {
        if (headers == null) {
            return this;
        }
        for (String[] header : headers) {
            checkHeader(header);
            if (ownNames.contains(header[0].toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the response sets " + header[0] + " itself");
            }
            header(header[0], header[1]);
        }
        return this;
    }

    /** The head, the blank line and the body, ready to write. */
    ByteBuffer end(byte[] body) {
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer response = ByteBuffer.allocate(headBytes.length + body.length);
        response.put(headBytes).put(body);
        return response.flip();
    }

    /** A header must be {@code {token, field-value}}: no CR, LF or other control characters. */
    static void checkHeader(String[] header) {
        if (header == null || header.length != 2 || header[0] == null || header[1] == null) {
            throw new IllegalArgumentException("a header is {name, value}");
        }
        if (!HttpChars.isToken(header[0])) {
            throw new IllegalArgumentException("not a header name: " + header[0]);
        }
        checkText(header[1], "header value");
    }

    /** A reason phrase is field-value text too (RFC 9112 §4): no CR, LF or other controls. */
    static void checkReason(String reason) {
        if (reason == null) {
            throw new IllegalArgumentException("a reason phrase is required");
        }
        checkText(reason, "reason phrase");
    }

    private static void checkText(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            if (!HttpChars.isFieldValueChar(text.charAt(i))) {
                // Say where, not what: the text may be attacker-controlled.
                throw new IllegalArgumentException("invalid character at index " + i + " of a " + what);
            }
        }
    }
}

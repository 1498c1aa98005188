package io.switchboard.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An HTTP response as {@link RawWebSocketClient} read it: the status line, the header fields in
 * the order the server wrote them (repeated names kept apart), and the body if one was read.
 */
public record RawResponse(String statusLine, int status, List<String[]> fields, byte[] body) {

    /** Every value of the fields with this name, compared case-insensitively, in order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                values.add(field[1]);
            }
        }
        return values;
    }

    /** The first value of the fields with this name. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Parses a head without its blank line; fails the test on what is not an HTTP/1.1 response head. */
    static RawResponse parseHead(String head) {
        String[] lines = head.split("\r\n", -1);
        String statusLine = lines[0];
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1") || !parts[1].matches("[0-9]{3}")) {
            throw new AssertionError("not an HTTP/1.1 status line: " + printable(statusLine));
        }
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("malformed response header line: " + printable(lines[i]));
            }
            fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
        }
        return new RawResponse(statusLine, Integer.parseInt(parts[1]), fields, new byte[0]);
    }

    RawResponse withBody(byte[] content) {
        return new RawResponse(statusLine, status, fields, content);
    }

    /** The text with every character outside printable ASCII shown as a hex escape. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) {
                shown.append(c);
            } else {
                shown.append(String.format("\\x%02X", (int) c));
            }
        }
        return shown.toString();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(statusLine);
        for (String[] field : fields) {
            text.append(" | ").append(field[0]).append(": ").append(field[1]);
        }
        return text.append(" | body ").append(body.length).append(" bytes").toString();
    }
}

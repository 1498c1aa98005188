package io.switchboard.handshake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed HTTP/1.1 request head. Immutable.
 *
 * <p>Header values are kept as sent, less the whitespace around them, decoded as ISO-8859-1 so
 * that every byte maps to one character. Header names are matched case-insensitively.
 *
 * <p>A request is kept for as long as its connection lives, so it is stored compactly, as the
 * ISO-8859-1 bytes of {@code method SP target LF} followed, per field in the order sent, by the
 * name and then {@code value LF}. A name is stored either as one byte {@code 0x80 | i} when it is,
 * case included, entry {@code i} of {@link #COMMON_NAMES}, or as its own bytes and a colon. A
 * whole field that is, case included, entry {@code j} of {@link #COMMON_FIELDS} (such as
 * {@code Upgrade: websocket}) is the one byte {@code 0xC0 | j}, with no value and no LF. A name is
 * a token (ASCII, no colon) and a value holds no LF, so this reads back unambiguously. The
 * lookups scan these bytes: they run a few times per handshake, not per message.
 */
public final class HttpRequest {
    private static final String GET = "GET";

    /** Names stored as a single byte; at most 64. The spellings clients actually send. */
    private static final String[] COMMON_NAMES = {
        "Host", "Upgrade", "Connection", "Origin", "User-Agent",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
        "Sec-Websocket-Key", "Sec-Websocket-Version", "Sec-Websocket-Extensions", "Sec-Websocket-Protocol",
        "Pragma", "Cache-Control", "Accept", "Accept-Encoding", "Accept-Language", "Cookie", "Authorization",
        "host", "upgrade", "connection", "origin", "user-agent",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
        "pragma", "cache-control", "accept", "accept-encoding", "accept-language", "cookie", "authorization",
    };
    /**
     * Whole fields stored as a single byte, at most 64: those WebSocket clients and browsers send
     * word for word on every handshake. Every name here is one of {@link #COMMON_NAMES}.
     */
    private static final String[][] COMMON_FIELDS = {
        {"Upgrade", "websocket"}, {"upgrade", "websocket"}, {"Upgrade", "WebSocket"},
        {"Connection", "Upgrade"}, {"connection", "Upgrade"}, {"connection", "upgrade"},
        {"Connection", "keep-alive, Upgrade"},
        {"Sec-WebSocket-Version", "13"}, {"sec-websocket-version", "13"}, {"Sec-Websocket-Version", "13"},
        {"Pragma", "no-cache"}, {"Cache-Control", "no-cache"},
    };
    /** For each of {@link #COMMON_FIELDS}, the index of its name in {@link #COMMON_NAMES}. */
    private static final int[] COMMON_FIELD_NAMES = new int[COMMON_FIELDS.length];
    /** Added, in the constructor's codes, to an index into {@link #COMMON_FIELDS}; a name's code stays below. */
    private static final int WHOLE_FIELD = 1 << 30;
    /** {@link #COMMON_NAMES} in lower case, for lookups. */
    private static final String[] COMMON_LOWER = new String[COMMON_NAMES.length];

    static {
        for (int i = 0; i < COMMON_NAMES.length; i++) {
            COMMON_LOWER[i] = COMMON_NAMES[i].toLowerCase(Locale.ROOT);
        }
        for (int j = 0; j < COMMON_FIELDS.length; j++) {
            COMMON_FIELD_NAMES[j] = commonName(COMMON_FIELDS[j][0]);
        }
    }

    /** The encoded head, see the class comment. */
    private final byte[] head;
    /** The method, as a shared constant when it is GET. */
    private final String method;
    /** Where the target ends in {@link #head}; it starts right after the method and a space. */
    private final int targetEnd;

    HttpRequest(RequestLine requestLine, List<HeaderField> fields) {
        String requestMethod = requestLine.method();
        this.method = GET.equals(requestMethod) ? GET : requestMethod;
        String requestTarget = requestLine.target();
        int[] codes = new int[fields.size()];
        int length = requestMethod.length() + 1 + requestTarget.length() + 1;
        for (int i = 0; i < codes.length; i++) {
            HeaderField field = fields.get(i);
            int whole = commonField(field.name(), field.value());
            codes[i] = whole >= 0 ? WHOLE_FIELD | whole : commonName(field.name());
            length += codes[i] >= WHOLE_FIELD ? 1 : (codes[i] >= 0 ? 1 : field.name().length() + 1) + field.value().length() + 1;
        }
        byte[] bytes = new byte[length];
        int at = put(bytes, 0, requestMethod);
        bytes[at++] = ' ';
        at = put(bytes, at, requestTarget);
        this.targetEnd = at;
        bytes[at++] = '\n';
        for (int i = 0; i < codes.length; i++) {
            HeaderField field = fields.get(i);
            if (codes[i] >= WHOLE_FIELD) {
                bytes[at++] = (byte) (0xC0 | (codes[i] - WHOLE_FIELD));
                continue;
            }
            if (codes[i] >= 0) {
                bytes[at++] = (byte) (0x80 | codes[i]);
            } else {
                at = put(bytes, at, field.name());
                bytes[at++] = ':';
            }
            at = put(bytes, at, field.value());
            bytes[at++] = '\n';
        }
        this.head = bytes;
    }

    private static int commonField(String name, String value) {
        for (int j = 0; j < COMMON_FIELDS.length; j++) {
            if (COMMON_FIELDS[j][0].equals(name) && COMMON_FIELDS[j][1].equals(value)) {
                return j;
            }
        }
        return -1;
    }

    private static int commonName(String name) {
        for (int i = 0; i < COMMON_NAMES.length; i++) {
            if (COMMON_NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Puts ISO-8859-1 text (every char below 0x100) into {@code bytes} at {@code at}; returns the end. */
    private static int put(byte[] bytes, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            bytes[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    /** The method, case as sent: methods are case-sensitive (RFC 9110 §9.1). */
    public String method() {
        return method;
    }

    /**
     * The request target as sent, e.g. {@code /chat?room=1}, not decoded. A target sent in
     * absolute-form ({@code http://host/chat?room=1}) is given here without its scheme and
     * authority, so that every request routes the same way.
     */
    public String target() {
        return text(targetStart(), targetEnd);
    }

    /** The target up to {@code '?'}, not decoded; always starts with {@code '/'}. */
    public String path() {
        int question = indexOf('?', targetStart(), targetEnd);
        return text(targetStart(), question < 0 ? targetEnd : question);
    }

    /** The raw query after {@code '?'}, not decoded; empty if there is none. */
    public String query() {
        int question = indexOf('?', targetStart(), targetEnd);
        return question < 0 ? "" : text(question + 1, targetEnd);
    }

    /** All values of the field in the order sent, matched case-insensitively; empty if none. */
    public List<String> headers(String name) {
        String wanted = lowerCase(name);
        String first = null;
        List<String> more = null;
        for (int at = targetEnd + 1; at < head.length; at = next(at)) {
            if (nameEquals(at, wanted)) {
                String value = value(at);
                if (first == null) {
                    first = value;
                } else {
                    if (more == null) {
                        more = new ArrayList<>();
                        more.add(first);
                    }
                    more.add(value);
                }
            }
        }
        return first == null ? List.of() : more == null ? List.of(first) : List.copyOf(more);
    }

    /** The first value of the field, matched case-insensitively. */
    public Optional<String> header(String name) {
        String wanted = lowerCase(name);
        for (int at = targetEnd + 1; at < head.length; at = next(at)) {
            if (nameEquals(at, wanted)) {
                return Optional.of(value(at));
            }
        }
        return Optional.empty();
    }

    /** The names of the fields sent, in lower case, in order of first appearance. */
    public Set<String> headerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (int at = targetEnd + 1; at < head.length; at = next(at)) {
            int code = nameCode(at);
            names.add(code >= 0 ? COMMON_LOWER[code] : lowerCase(name(at)));
        }
        return Collections.unmodifiableSet(names);
    }

    /** Every field as {@code {name as sent, value}}, in the order sent; fresh arrays each call. */
    public List<String[]> allHeaders() {
        List<String[]> all = new ArrayList<>();
        for (int at = targetEnd + 1; at < head.length; at = next(at)) {
            all.add(new String[] {name(at), value(at)});
        }
        return all;
    }

    private int targetStart() {
        return method.length() + 1;
    }

    /** True if the field stored at {@code at} is one byte standing for one of {@link #COMMON_FIELDS}. */
    private boolean wholeField(int at) {
        return (head[at] & 0xC0) == 0xC0;
    }

    /** The index in {@link #COMMON_NAMES} of the name of the field stored at {@code at}, or -1. */
    private int nameCode(int at) {
        if (wholeField(at)) {
            return COMMON_FIELD_NAMES[head[at] & 0x3F];
        }
        return head[at] < 0 ? head[at] & 0x3F : -1;
    }

    /** Where the value of the field stored at {@code at} starts: after its name's code or its colon. */
    private int valueStart(int at) {
        return head[at] < 0 ? at + 1 : indexOf(':', at, head.length) + 1;
    }

    /** Where the field after the one stored at {@code at} starts. */
    private int next(int at) {
        return wholeField(at) ? at + 1 : indexOf('\n', valueStart(at), head.length) + 1;
    }

    /** The name, as sent, of the field stored at {@code at}. */
    private String name(int at) {
        int code = nameCode(at);
        return code >= 0 ? COMMON_NAMES[code] : text(at, valueStart(at) - 1);
    }

    /** The value of the field stored at {@code at}. */
    private String value(int at) {
        return wholeField(at) ? COMMON_FIELDS[head[at] & 0x3F][1] : text(valueStart(at), next(at) - 1);
    }

    /**
     * Whether the name of the field stored at {@code at}, lower-cased, equals {@code wanted}
     * (already lower-cased with {@link Locale#ROOT}). Stored names are tokens, which are ASCII,
     * so lower-casing them byte by byte is what {@code toLowerCase(Locale.ROOT)} would do.
     */
    private boolean nameEquals(int at, String wanted) {
        int code = nameCode(at);
        if (code >= 0) {
            return COMMON_LOWER[code].equals(wanted);
        }
        int length = valueStart(at) - 1 - at;
        if (length != wanted.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = head[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != wanted.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private String text(int from, int to) {
        return new String(head, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Equal if the method, target and every field (name as sent, value, order) are. */
    @Override
    public boolean equals(Object other) {
        // The encoding is a function of exactly these, so equal bytes mean equal requests.
        return other instanceof HttpRequest that && Arrays.equals(head, that.head);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(head);
    }

    /** The request line and the header names; values are left out, as they may hold secrets. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (int at = targetEnd + 1; at < head.length; at = next(at)) {
            names.add(name(at));
        }
        return method + " " + target() + " " + names;
    }
}

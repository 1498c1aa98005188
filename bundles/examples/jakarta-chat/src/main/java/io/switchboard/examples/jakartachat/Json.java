package io.switchboard.examples.jakartachat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON this chat speaks, by hand: it reads one flat object whose values are strings
 * ({@code {"type":"say","text":"hi"}}) and writes strings and arrays of strings. Anything else
 * is refused with a message that says what is wrong, which the client gets back. The input is
 * bounded before it gets here (the endpoint's message size), and an object may have at most
 * {@value #MAX_MEMBERS} members. Stateless; a {@code Reader} lives for one call.
 */
final class Json {
    /** More members than any message of the protocol has, but few enough to bound the map. */
    static final int MAX_MEMBERS = 8;

    private Json() {
    }

    /**
     * Reads a flat object of strings.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static Map<String, String> parseObject(String json) {
        return new Reader(json).object();
    }

    /** Appends {@code text} as a JSON string, escaping what JSON requires and nothing else. */
    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends a JSON array of strings. */
    static StringBuilder array(StringBuilder out, List<String> items) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(out, items.get(i));
        }
        return out.append(']');
    }

    /** A cursor over one document. */
    private static final class Reader {
        private final String json;
        private int at;

        Reader(String json) {
            this.json = json;
        }

        Map<String, String> object() {
            Map<String, String> members = new LinkedHashMap<>();
            expect('{');
            if (!peek('}')) {
                do {
                    String name = string();
                    expect(':');
                    String value = string();
                    if (members.put(name, value) != null) {
                        throw new IllegalArgumentException("the member \"" + name + "\" comes twice");
                    }
                    if (members.size() > MAX_MEMBERS) {
                        throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
                    }
                } while (take(','));
            }
            expect('}');
            skipSpace();
            if (at < json.length()) {
                throw error("nothing may follow the object");
            }
            return members;
        }

        private String string() {
            skipSpace();
            if (at >= json.length() || json.charAt(at) != '"') {
                throw error("a string was expected (every value is a string)");
            }
            at++;
            StringBuilder text = new StringBuilder();
            while (at < json.length()) {
                char c = json.charAt(at++);
                if (c == '"') {
                    return wellFormed(text.toString());
                }
                if (c < 0x20) {
                    throw error("a control character in a string must be escaped");
                }
                text.append(c == '\\' ? escaped() : c);
            }
            throw error("a string is not closed");
        }

        /** Half a surrogate pair (escaped as four hex digits) could not be sent on as UTF-8. */
        private String wellFormed(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw error("a string holds half a surrogate pair");
                }
            }
            return text;
        }

        private char escaped() {
            if (at >= json.length()) {
                throw error("a string is not closed");
            }
            char c = json.charAt(at++);
            return switch (c) {
                case '"', '\\', '/' -> c;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> unicode();
                default -> throw error("\\" + c + " is not an escape");
            };
        }

        private char unicode() {
            if (at + 4 > json.length()) {
                throw error("\\u needs four hex digits");
            }
            int value = 0;
            for (int end = at + 4; at < end; at++) {
                int digit = Character.digit(json.charAt(at), 16);
                if (digit < 0) {
                    throw error("\\u needs four hex digits");
                }
                value = value * 16 + digit;
            }
            return (char) value;
        }

        private void expect(char c) {
            if (!take(c)) {
                throw error("'" + c + "' was expected");
            }
        }

        private boolean take(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            skipSpace();
            return at < json.length() && json.charAt(at) == c;
        }

        private void skipSpace() {
            while (at < json.length() && " \t\r\n".indexOf(json.charAt(at)) >= 0) {
                at++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at character " + at + ": " + what);
        }
    }
}

package io.switchboard.handshake;

/** The character classes of HTTP/1.1 (RFC 9110 §5.6), for strings decoded as ISO-8859-1. */
final class HttpChars {
    private HttpChars() {
    }

    /** {@code tchar}: the characters a token (method, header name, list element) is made of. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** {@code token = 1*tchar}. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code OWS}: the optional whitespace around values and list separators. */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Whether a field value (or reason phrase) may contain this character: HTAB, SP, visible
     * ASCII and obs-text (0x80 to 0xFF). Everything else is a control character, and CR or LF
     * among them is how a header is smuggled into a response.
     */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= ' ' && c != 0x7F && c <= 0xFF;
    }

    /** The string without leading and trailing SP and HTAB. */
    static String trimWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    /** The 6-bit value of a character of the base64 alphabet (RFC 4648 §4), or -1. */
    static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }
}

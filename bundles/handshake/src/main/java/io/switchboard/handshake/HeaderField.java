package io.switchboard.handshake;

/**
 * One header line of a request, {@code field-name ":" OWS field-value OWS} (RFC 9112 §5).
 *
 * @param name  the field name, case as sent
 * @param value the field value without the whitespace around it
 */
record HeaderField(String name, String value) {

    /** Parses the line (without its CRLF), as ISO-8859-1 characters. */
    static HeaderField parse(String line) throws HttpException {
        // A line that starts with whitespace continues the previous one (obs-fold). RFC 9112 §5.2
        // lets a server reject it, and joining lines is where parsers start to disagree.
        if (HttpChars.isWhitespace(line.charAt(0))) {
            throw HttpException.badRequest("Obsolete line folding");
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw HttpException.badRequest("Header line without a colon");
        }
        // No whitespace before the colon (RFC 9112 §5.1 says MUST reject): a name such as
        // "Host " must not be read as "Host" by us and as something else by a proxy.
        String name = line.substring(0, colon);
        if (!HttpChars.isToken(name)) {
            throw HttpException.badRequest("Invalid header field name");
        }
        String value = HttpChars.trimWhitespace(line.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            if (!HttpChars.isFieldValueChar(value.charAt(i))) {
                throw HttpException.badRequest("Control character in header field value");
            }
        }
        return new HeaderField(name, value);
    }
}

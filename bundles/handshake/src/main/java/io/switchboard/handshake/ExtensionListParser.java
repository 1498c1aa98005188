package io.switchboard.handshake;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.codec.ExtensionParameter;

/**
 * A recursive-descent parser for one {@code Sec-WebSocket-Extensions} value (RFC 6455 §9.1):
 *
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * Whitespace is allowed around the separators, as in the implied-LWS grammar RFC 6455 was
 * written in, and empty list elements are skipped (RFC 9110 §5.6.1).
 */
final class ExtensionListParser {
    private final String value;
    private int position;

    private ExtensionListParser(String value) {
        this.value = value;
    }

    /** Appends the offers in {@code value} to {@code offers}. */
    static void parse(String value, List<ExtensionOffer> offers) throws HttpException {
        new ExtensionListParser(value).offers(offers);
    }

    private void offers(List<ExtensionOffer> offers) throws HttpException {
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                return;
            }
            if (!skip(',')) {
                offers.add(offer());
                skipWhitespace();
                if (!atEnd() && !skip(',')) {
                    throw malformed();
                }
            }
        }
    }

    private ExtensionOffer offer() throws HttpException {
        String name = token();
        List<ExtensionParameter> parameters = new ArrayList<>();
        skipWhitespace();
        while (skip(';')) {
            skipWhitespace();
            parameters.add(parameter());
            skipWhitespace();
        }
        return new ExtensionOffer(name, parameters);
    }

    private ExtensionParameter parameter() throws HttpException {
        String name = token();
        skipWhitespace();
        if (!skip('=')) {
            return new ExtensionParameter(name, null);
        }
        skipWhitespace();
        String parameterValue = peek() == '"' ? quotedString() : token();
        // RFC 6455 §9.1: a quoted value must be a token once unquoted, so quoting changes nothing.
        if (!HttpChars.isToken(parameterValue)) {
            throw malformed();
        }
        return new ExtensionParameter(name, parameterValue);
    }

    /** {@code 1*tchar}; fails if there is none. */
    private String token() throws HttpException {
        int start = position;
        while (!atEnd() && HttpChars.isTokenChar(value.charAt(position))) {
            position++;
        }
        if (position == start) {
            throw malformed();
        }
        return value.substring(start, position);
    }

    /** {@code DQUOTE *( qdtext / quoted-pair ) DQUOTE}, returned unquoted (RFC 9110 §5.6.4). */
    private String quotedString() throws HttpException {
        position++; // the opening quote
        StringBuilder unquoted = new StringBuilder();
        while (!atEnd()) {
            char c = value.charAt(position++);
            if (c == '"') {
                return unquoted.toString();
            }
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                c = value.charAt(position++);
            }
            unquoted.append(c);
        }
        throw malformed(); // no closing quote
    }

    private void skipWhitespace() {
        while (!atEnd() && HttpChars.isWhitespace(value.charAt(position))) {
            position++;
        }
    }

    private boolean skip(char c) {
        if (peek() == c) {
            position++;
            return true;
        }
        return false;
    }

    /** The next character, or NUL at the end (which no rule here accepts). */
    private char peek() {
        return atEnd() ? '\0' : value.charAt(position);
    }

    private boolean atEnd() {
        return position == value.length();
    }

    private static HttpException malformed() {
        return HttpException.badRequest("Malformed Sec-WebSocket-Extensions");
    }
}

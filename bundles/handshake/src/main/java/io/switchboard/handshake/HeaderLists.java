package io.switchboard.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsers for the list-valued headers of the handshake. A list may be split over several field
 * lines or packed into one with commas; both mean the same (RFC 9110 §5.3), so every method here
 * takes all values of the field, as {@link HttpRequest#headers(String)} gives them.
 */
public final class HeaderLists {
    private HeaderLists() {
    }

    /**
     * The comma-separated tokens across all values, trimmed, empty elements skipped (RFC 9110
     * §5.6.1), e.g. for {@code Connection}, {@code Upgrade} or {@code Sec-WebSocket-Protocol}.
     *
     * @throws HttpException 400 if an element is not a token
     */
    public static List<String> tokens(List<String> values) throws HttpException {
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String element : elements(value)) {
                if (!HttpChars.isToken(element)) {
                    throw HttpException.badRequest("Invalid token in header list");
                }
                tokens.add(element);
            }
        }
        return tokens;
    }

    /**
     * Whether any comma-separated element of the values equals the token, ignoring case. Never
     * throws: an element that is not a token simply matches nothing, so that, for example,
     * {@code Upgrade: HTTP/2.0, websocket} still offers websocket.
     */
    public static boolean containsToken(List<String> values, String token) {
        if (!HttpChars.isToken(token)) {
            return false;
        }
        for (String value : values) {
            for (String element : elements(value)) {
                if (element.equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The offers of {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1) across all values, in
     * order: {@code extension = token *( ";" param )}, {@code param = token [ "=" (token |
     * quoted-string) ]}. Quoted values are unquoted, backslash escapes resolved, and must then be
     * tokens.
     *
     * @throws HttpException 400 if any value is malformed
     */
    public static List<ExtensionOffer> extensions(List<String> values) throws HttpException {
        List<ExtensionOffer> offers = new ArrayList<>();
        for (String value : values) {
            ExtensionListParser.parse(value, offers);
        }
        return offers;
    }

    /** The non-empty, trimmed elements of one comma-separated value. */
    private static List<String> elements(String value) {
        List<String> elements = new ArrayList<>();
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String element = HttpChars.trimWhitespace(value.substring(start, end));
            if (!element.isEmpty()) {
                elements.add(element);
            }
            start = end + 1;
        }
        return elements;
    }
}

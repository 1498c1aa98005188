package io.switchboard.handshake;

/**
 * The first line of a request, {@code method SP request-target SP HTTP-version} (RFC 9112 §3),
 * with the target reduced to origin-form.
 *
 * @param method the method token, case as sent (methods are case-sensitive)
 * @param target the request target in origin-form: path and query, not decoded
 */
record RequestLine(String method, String target) {
    private static final String HTTP_1_1 = "HTTP/1.1";

    /** Parses the line (without its CRLF), as ISO-8859-1 characters. */
    static RequestLine parse(String line) throws HttpException {
        // Exactly one SP between the three parts: RFC 9112 §3 allows lenient splitting on other
        // whitespace, but a strict split leaves no room for parsers to disagree.
        int firstSpace = line.indexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
        if (secondSpace < 0) {
            throw HttpException.badRequest("Malformed request line");
        }
        String method = line.substring(0, firstSpace);
        String target = line.substring(firstSpace + 1, secondSpace);
        String version = line.substring(secondSpace + 1);
        if (!HttpChars.isToken(method)) {
            throw HttpException.badRequest("Invalid method");
        }
        String originForm = originForm(target);
        checkVersion(version);
        return new RequestLine(method, originForm);
    }

    /**
     * The target as a path with an optional query. Absolute-form ({@code http://host/path}) is
     * what a client sends to a proxy, and a server must accept it too (RFC 9112 §3.2.2); it is
     * reduced to its path and query. Authority-form and asterisk-form ({@code *}) are for CONNECT
     * and OPTIONS, which never upgrade.
     */
    private static String originForm(String target) throws HttpException {
        checkTargetChars(target);
        if (target.startsWith("/")) {
            return target;
        }
        int schemeEnd = target.indexOf("://");
        if (schemeEnd < 0 || !isWebScheme(target.substring(0, schemeEnd))) {
            throw HttpException.badRequest("Request target is not a path");
        }
        int authorityStart = schemeEnd + "://".length();
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        String authority = target.substring(authorityStart, authorityEnd);
        // userinfo in an http(s) URI is deprecated and a recipient should treat it as an error
        // (RFC 9110 §4.2.4): it is a phishing vector, and no WebSocket client sends one.
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw HttpException.badRequest("Invalid authority in request target");
        }
        String pathAndQuery = target.substring(authorityEnd);
        return pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
    }

    /**
     * A request target is visible ASCII (RFC 3986; anything else must be percent-encoded) and
     * has no fragment, which is never sent.
     */
    private static void checkTargetChars(String target) throws HttpException {
        if (target.isEmpty()) {
            throw HttpException.badRequest("Malformed request line");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '#') {
                throw HttpException.badRequest("Invalid character in request target");
            }
        }
    }

    private static boolean isWebScheme(String scheme) {
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")
                || scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss");
    }

    /**
     * RFC 6455 §4.1 asks for HTTP/1.1 or higher. 505 refuses the request's major version (RFC 9110
     * §15.6.6), so it answers a major version other than 1. Within major version 1, HTTP/1.0 has
     * no Upgrade mechanism (400), and a later minor version is read as 1.1, the highest this
     * server speaks (RFC 9110 §2.5). Anything that is not a version at all is 400 too.
     */
    private static void checkVersion(String version) throws HttpException {
        if (version.equals(HTTP_1_1)) {
            return;
        }
        boolean wellFormed = version.length() == HTTP_1_1.length()
                && version.startsWith("HTTP/")
                && isDigit(version.charAt(5))
                && version.charAt(6) == '.'
                && isDigit(version.charAt(7));
        if (!wellFormed) {
            throw HttpException.badRequest("Malformed HTTP version");
        }
        if (version.charAt(5) != '1') {
            throw new HttpException(505, "HTTP Version Not Supported");
        }
        if (version.charAt(7) == '0') {
            throw HttpException.badRequest("WebSocket upgrade needs HTTP/1.1");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

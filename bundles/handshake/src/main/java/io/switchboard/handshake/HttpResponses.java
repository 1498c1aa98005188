package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Response heads, ready to write: each method returns a buffer positioned at 0 with the whole
 * response in it.
 *
 * <p>Everything written is checked: header names must be tokens, values and reason phrases must
 * not contain CR, LF or other control characters, and extra headers may not repeat the ones the
 * method writes itself. Each breach is an {@link IllegalArgumentException}, so that no value
 * can split a response. Characters are written as ISO-8859-1, the body of an error as UTF-8.
 */
public final class HttpResponses {
    private static final Set<String> OWN_101_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding");
    private static final Set<String> OWN_ERROR_HEADERS = Set.of("content-type", "content-length", "connection",
            "transfer-encoding");
    private static final Set<String> OWN_RESPONSE_HEADERS = Set.of("content-length", "connection", "transfer-encoding");
    private static final byte[] NO_BODY = new byte[0];
    /** The head of the common 101, up to its accept key: written as bytes, with nothing to check. */
    private static final byte[] PLAIN_101_START = ("HTTP/1.1 101 " + reasonPhrase(101) + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PLAIN_101_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private HttpResponses() {
    }

    /**
     * {@code 101 Switching Protocols} (RFC 6455 §4.2.2): {@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-Accept}, then {@code Sec-WebSocket-Protocol} and
     * {@code Sec-WebSocket-Extensions} if given, then the extra headers.
     *
     * @param acceptKey    from {@link WebSocketUpgrade#acceptKey(String)}
     * @param subprotocol  the selected subprotocol (a token), or {@code null} for none
     * @param extensions   the {@code Sec-WebSocket-Extensions} value, or {@code null} for none
     * @param extraHeaders each {@code {name, value}}; {@code null} for none
     */
    public static ByteBuffer switchingProtocols(String acceptKey, String subprotocol, String extensions,
            List<String[]> extraHeaders) {
        if (subprotocol == null && extensions == null && (extraHeaders == null || extraHeaders.isEmpty())
                && isBase64(acceptKey)) {
            // The common case, which every handshake of a storm takes: constant bytes around the key.
            ByteBuffer response = ByteBuffer.allocate(PLAIN_101_START.length + acceptKey.length() + PLAIN_101_END.length);
            response.put(PLAIN_101_START);
            for (int i = 0; i < acceptKey.length(); i++) {
                response.put((byte) acceptKey.charAt(i));
            }
            return response.put(PLAIN_101_END).flip();
        }
        ResponseHead head = new ResponseHead(101, reasonPhrase(101), OWN_101_HEADERS)
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .header("Sec-WebSocket-Accept", acceptKey);
        if (subprotocol != null) {
            // It must echo one of the offered tokens (§4.2.2), so anything else is a bug here.
            if (!HttpChars.isToken(subprotocol)) {
                throw new IllegalArgumentException("a subprotocol is a token");
            }
            head.header("Sec-WebSocket-Protocol", subprotocol);
        }
        if (extensions != null) {
            head.header("Sec-WebSocket-Extensions", extensions);
        }
        return head.extraHeaders(extraHeaders).end(NO_BODY);
    }

    /** Whether the text is base64 (RFC 4648 §4, with padding), as an accept key is: safe in a header as it is. */
    private static boolean isBase64(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (HttpChars.base64Value(c) < 0 && c != '=') {
                return false;
            }
        }
        return true;
    }

    /**
     * An error that ends the connection: the status line, {@code Content-Type: text/plain;
     * charset=utf-8}, {@code Content-Length}, {@code Connection: close}, the extra headers, and
     * the reason and a newline as the body.
     *
     * @param status       400 to 599
     * @param extraHeaders each {@code {name, value}}; {@code null} for none
     */
    public static ByteBuffer error(int status, String reason, List<String[]> extraHeaders) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        ResponseHead.checkReason(reason);
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        return new ResponseHead(status, reason, OWN_ERROR_HEADERS)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Length", Integer.toString(body.length))
                .header("Connection", "close")
                .extraHeaders(extraHeaders)
                .end(body);
    }

    /** The error {@code e} describes, with its extra headers. */
    public static ByteBuffer error(HttpException e) {
        return error(e.status(), e.reason(), e.headers());
    }

    /**
     * A plain response for requests that are not upgrades: the status line, the headers as
     * given (the caller sets {@code Content-Type}), {@code Content-Length},
     * {@code Connection: close}, then the body. A 204 or 304 has no body and so no
     * {@code Content-Length} (RFC 9110 §8.6).
     *
     * @param status  200 to 599
     * @param headers each {@code {name, value}}; {@code null} for none
     * @param body    the body; {@code null} for none
     */
    public static ByteBuffer response(int status, String reason, List<String[]> headers, byte[] body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        byte[] content = body == null ? NO_BODY : body;
        boolean bodiless = status == 204 || status == 304;
        if (bodiless && content.length > 0) {
            throw new IllegalArgumentException("a " + status + " response has no body");
        }
        ResponseHead head = new ResponseHead(status, reason, OWN_RESPONSE_HEADERS).extraHeaders(headers);
        if (!bodiless) {
            head.header("Content-Length", Integer.toString(content.length));
        }
        return head.header("Connection", "close").end(content);
    }

    /** The standard reason phrase for a status (RFC 9110 §15, RFC 6585), or "Unknown". */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 305 -> "Use Proxy";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }
}

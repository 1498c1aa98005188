package io.switchboard.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP error to answer with: the status, its reason phrase and any extra response headers,
 * such as {@code Allow} for 405 or {@code Sec-WebSocket-Version} for 426.
 * {@link HttpResponses#error(HttpException)} turns it into a response.
 *
 * <p>It carries no stack trace: it describes the client's request, not a fault in this code, and
 * a hostile client must not be able to make the server pay for stack walks.
 *
 * <p>The status, reason and headers are checked when the exception is made, so that a handler
 * that rejects a handshake with a bad header learns it where it made the mistake, not later when
 * the response is written.
 */
public final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String[]> headers;

    /**
     * @param status an error status, 400 to 599
     * @param reason the reason phrase, also sent as the body; no CR, LF or other control
     *               characters
     * @throws IllegalArgumentException if the status or the reason could not be sent as given
     */
    public HttpException(int status, String reason) {
        this(status, reason, List.of());
    }

    /**
     * @param status  an error status, 400 to 599
     * @param reason  the reason phrase, also sent as the body
     * @param headers extra response headers, each {@code {name, value}}; names must be tokens and
     *                values must not contain CR, LF or other control characters; {@code null}
     *                for none
     * @throws IllegalArgumentException if anything here could not be sent as given
     */
    public HttpException(int status, String reason, List<String[]> headers) {
        super(reason, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        ResponseHead.checkReason(reason);
        this.status = status;
        this.headers = copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }

    /** The extra headers, each a fresh {@code {name, value}} array. */
    public List<String[]> headers() {
        return copyOf(headers);
    }

    /** The status with its standard reason phrase. */
    static HttpException of(int status) {
        return new HttpException(status, HttpResponses.reasonPhrase(status));
    }

    /** 400, with a reason that says what was wrong with the request. */
    static HttpException badRequest(String reason) {
        return new HttpException(400, reason);
    }

    private static List<String[]> copyOf(List<String[]> headers) {
        if (headers == null) {
            return List.of();
        }
        List<String[]> copy = new ArrayList<>(headers.size());
        for (String[] header : headers) {
            ResponseHead.checkHeader(header);
            copy.add(header.clone());
        }
        return List.copyOf(copy);
    }
}

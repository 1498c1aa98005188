package io.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A complete, small HTTP response from an {@link HttpHandler}: status, header fields and body.
 * The server adds {@code Content-Length} and {@code Connection: close}. Immutable.
 */
@ProviderType
public final class HttpResponse {
    private final int status;
    private final List<String[]> headers;
    private final byte[] body;

    private HttpResponse(int status, List<String[]> headers, byte[] body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200 to 599, was " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
    }

    /** A response with a {@code Content-Type} and a body. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        return new HttpResponse(status, List.<String[]>of(new String[] {"Content-Type", contentType}), body);
    }

    /** A {@code text/plain} UTF-8 response. */
    public static HttpResponse text(int status, String body) {
        return of(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This response with one more header field. The server checks names and values when it
     * writes them: a name that is not an HTTP token, or a value with CR or LF, is refused.
     */
    public HttpResponse withHeader(String name, String value) {
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")});
        return new HttpResponse(status, more, body);
    }

    public int status() {
        return status;
    }

    /** The header fields as {name, value} pairs, in order; the arrays are copies. */
    public List<String[]> headers() {
        List<String[]> copies = new ArrayList<>(headers.size());
        for (String[] header : headers) {
            copies.add(header.clone());
        }
        return copies;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }
}

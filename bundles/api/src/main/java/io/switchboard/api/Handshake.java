package io.switchboard.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The opening request while {@link ConnectionHandler#validate(Handshake)} decides how to answer
 * it: the request itself, what the client offered, and the means to shape the answer.
 *
 * <p>When {@code validate} returns, the server answers: {@code 101 Switching Protocols} with the
 * selected subprotocol and the added headers, or, if {@link #reject} was called, that HTTP
 * error. The methods that shape the answer ({@code reject}, {@code addResponseHeader},
 * {@code selectSubprotocol}) may be called only during {@code validate}, on its thread; the
 * answer is sent by then, so afterwards they throw {@link IllegalStateException}.
 * A {@code Handshake} is not thread-safe.
 */
@ProviderType
public interface Handshake extends Request {

    /**
     * The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of
     * preference; empty if it offered none. The list is unmodifiable.
     */
    List<String> offeredSubprotocols();

    /**
     * The extensions the client offered in {@code Sec-WebSocket-Extensions}, in its order, one
     * offer per element with its parameters as sent, such as
     * {@code permessage-deflate; client_max_window_bits}. The server negotiates the extensions
     * it supports itself; this is for inspection. The list is unmodifiable.
     */
    List<String> offeredExtensions();

    /**
     * Refuses the connection: the server answers with this HTTP status and reason phrase instead
     * of 101 (WebSocket++ {@code set_http_error}). A later call replaces an earlier one. Headers
     * added with {@link #addResponseHeader} go out with the rejection too, so that a 401 can
     * carry {@code WWW-Authenticate} or a 503 {@code Retry-After}.
     *
     * @param status an HTTP error status, 400 to 599
     * @param reason the reason phrase, may be empty; no CR or LF, which would end the status line
     * @throws IllegalArgumentException if status or reason is out of these bounds
     * @throws IllegalStateException if {@code validate} has returned
     */
    void reject(int status, String reason);

    /** Tells whether {@link #reject} has been called. */
    boolean rejected();

    /**
     * Adds a header field to the response, 101 or rejection (WebSocket++ {@code add_header}); repeated names
     * give repeated fields. The server owns the fields that make the upgrade — {@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-Accept}, {@code Sec-WebSocket-Protocol} (see
     * {@link #selectSubprotocol}) and {@code Sec-WebSocket-Extensions} — and refuses them here.
     *
     * @param name an HTTP token (RFC 9110 §5.6.2), not one of the names the server owns
     * @param value the field value; no CR or LF, which would inject further header fields
     * @throws IllegalArgumentException if name or value breaks these rules
     * @throws IllegalStateException if {@code validate} has returned
     */
    void addResponseHeader(String name, String value);

    /**
     * Selects the subprotocol the connection will speak, sent back in
     * {@code Sec-WebSocket-Protocol} (WebSocket++ {@code set_subprotocol}). A later call replaces
     * an earlier one. If none is selected, the answer names none, and a client that requires one
     * will close the connection.
     *
     * @param protocol one of {@link #offeredSubprotocols()}, compared case-sensitively
     * @throws IllegalArgumentException if the client did not offer it
     * @throws IllegalStateException if {@code validate} has returned
     */
    void selectSubprotocol(String protocol);
}

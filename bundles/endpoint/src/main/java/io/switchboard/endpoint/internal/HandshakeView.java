package io.switchboard.endpoint.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.switchboard.api.Handshake;
import io.switchboard.api.Request;
import io.switchboard.handshake.ExtensionOffer;
import io.switchboard.handshake.WebSocketUpgrade;

/**
 * The api's {@link Handshake}: the request, what the client offered, and the answer the handler
 * shapes during {@code validate}. Sealed once {@code validate} returns.
 */
final class HandshakeView implements Handshake {
    private static final Set<String> SERVER_OWNED = Set.of(
            "upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions",
            "content-length", "transfer-encoding");

    private final RequestView request;
    private final List<String> subprotocols;
    private final List<String> extensions;
    private final List<String[]> responseHeaders = new ArrayList<>();
    private String subprotocol;
    private int rejectStatus;
    private String rejectReason;
    private boolean sealed;

    HandshakeView(RequestView request, WebSocketUpgrade upgrade) {
        this.request = request;
        this.subprotocols = List.copyOf(upgrade.offeredSubprotocols());
        List<String> offers = new ArrayList<>();
        for (ExtensionOffer offer : upgrade.offeredExtensions()) {
            offers.add(offer.toString());
        }
        this.extensions = List.copyOf(offers);
    }

    @Override
    public List<String> offeredSubprotocols() {
        return subprotocols;
    }

    @Override
    public List<String> offeredExtensions() {
        return extensions;
    }

    @Override
    public void reject(int status, String reason) {
        checkOpen();
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a status from 400 to 599, was " + status);
        }
        if (reason == null || reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the reason must be a single line");
        }
        rejectStatus = status;
        rejectReason = reason;
    }

    @Override
    public boolean rejected() {
        return rejectStatus != 0;
    }

    @Override
    public void addResponseHeader(String name, String value) {
        checkOpen();
        if (!isToken(name)) {
            throw new IllegalArgumentException("not an HTTP header name: " + name);
        }
        if (SERVER_OWNED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header value must be a single line");
        }
        responseHeaders.add(new String[] {name, value});
    }

    @Override
    public void selectSubprotocol(String protocol) {
        checkOpen();
        if (!subprotocols.contains(protocol)) {
            throw new IllegalArgumentException("the client did not offer subprotocol " + protocol);
        }
        subprotocol = protocol;
    }

    /** Ends the handler's turn: from now on the answer is fixed. */
    void seal() {
        sealed = true;
    }

    int rejectStatus() {
        return rejectStatus;
    }

    String rejectReason() {
        return rejectReason;
    }

    /** The selected subprotocol, or null. */
    String subprotocol() {
        return subprotocol;
    }

    List<String[]> responseHeaders() {
        return responseHeaders;
    }

    Request request() {
        return request;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public Map<String, String> pathParameters() {
        return request.pathParameters();
    }

    @Override
    public List<String> headers(String name) {
        return request.headers(name);
    }

    @Override
    public Set<String> headerNames() {
        return request.headerNames();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return request.localAddress();
    }

    @Override
    public boolean secure() {
        return request.secure();
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("the handshake has been answered");
        }
    }

    /** RFC 9110 §5.6.2: one or more of the characters allowed in a token. */
    private static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}

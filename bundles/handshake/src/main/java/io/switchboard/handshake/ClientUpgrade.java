package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.switchboard.codec.PerMessageDeflate;

/**
 * The client side of the RFC 6455 opening handshake, with no I/O: the upgrade request head
 * (§4.1) and the checks of the server's answer that a client must make before it sends a frame.
 * Immutable.
 */
public final class ClientUpgrade {
    private static final SecureRandom NONCES = new SecureRandom();
    /** Headers the request writes itself; the caller's extra headers may not repeat them. */
    private static final Set<String> OWN_NAMES = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

    private final String key;
    private final List<String> subprotocols;
    private final PerMessageDeflate deflateOffer;
    private final byte[] head;

    /**
     * @param host         the {@code Host} value: the host, and the port unless it is the scheme's
     * @param target       the path and query to request, e.g. {@code /chat?room=1}
     * @param subprotocols subprotocols to offer, best first; none for none
     * @param deflateOffer the permessage-deflate parameters to offer; null for none
     * @param headers      extra headers, each {@code {name, value}}
     * @throws IllegalArgumentException if a value could not be sent as given (a CR or LF, a
     *                                  subprotocol that is not a token, a header the request sets itself)
     */
    public ClientUpgrade(String host, String target, List<String> subprotocols, PerMessageDeflate deflateOffer,
                         List<String[]> headers) {
        byte[] nonce = new byte[16];
        NONCES.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
        this.subprotocols = List.copyOf(subprotocols);
        this.deflateOffer = deflateOffer;
        if (target.isEmpty() || target.charAt(0) != '/' || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7F || c == '#')) {
            throw new IllegalArgumentException("not a request target: " + target);
        }
        StringBuilder request = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\n");
        header(request, "Host", host);
        request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n");
        for (String subprotocol : this.subprotocols) {
            if (!HttpChars.isToken(subprotocol)) {
                throw new IllegalArgumentException("a subprotocol must be a token: " + subprotocol);
            }
        }
        if (!this.subprotocols.isEmpty()) {
            header(request, "Sec-WebSocket-Protocol", String.join(", ", this.subprotocols));
        }
        if (deflateOffer != null) {
            header(request, "Sec-WebSocket-Extensions", deflateOffer.responseHeader());
        }
        for (String[] extra : headers) {
            ResponseHead.checkHeader(extra);
            if (OWN_NAMES.contains(extra[0].toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the upgrade request sets " + extra[0] + " itself");
            }
            header(request, extra[0], extra[1]);
        }
        this.head = request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void header(StringBuilder request, String name, String value) {
        ResponseHead.checkHeader(new String[] {name, value});
        request.append(name).append(": ").append(value).append("\r\n");
    }

    /** The request head to write, a fresh buffer each call. */
    public ByteBuffer request() {
        return ByteBuffer.wrap(head.clone());
    }

    /** The {@code Sec-WebSocket-Key} this request sends. */
    public String key() {
        return key;
    }

    /**
     * What the server agreed to.
     *
     * @param subprotocol the subprotocol it selected; empty for none
     * @param deflate     the permessage-deflate parameters agreed; null if not agreed
     */
    public record Agreed(String subprotocol, PerMessageDeflate deflate) {
    }

    /**
     * Checks the server's answer as RFC 6455 §4.1 asks of a client: 101, {@code Upgrade:
     * websocket}, {@code Connection: Upgrade}, the {@code Sec-WebSocket-Accept} of this key, and
     * no subprotocol or extension that this request did not offer (RFC 7692 §7.1 for
     * permessage-deflate's parameters).
     *
     * @throws WebSocketHandshakeException what is wrong with the answer
     */
    public Agreed check(HttpResponseHead response) throws WebSocketHandshakeException {
        int status = response.status();
        if (status != 101) {
            Optional<String> location = response.header("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                throw new WebSocketHandshakeException("redirected with " + status + " to " + location.get()
                        + " (redirects are not followed)", status, location.get());
            }
            throw refused(response, "status " + status + " " + response.reason() + " instead of 101");
        }
        List<String> upgrade = response.headers("Upgrade");
        if (upgrade.size() != 1 || !upgrade.get(0).equalsIgnoreCase("websocket")) {
            throw refused(response, "Upgrade is " + upgrade + ", not websocket");
        }
        if (!HeaderLists.containsToken(response.headers("Connection"), "Upgrade")) {
            throw refused(response, "Connection does not list Upgrade");
        }
        List<String> accept = response.headers("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.get(0).equals(WebSocketUpgrade.acceptKey(key))) {
            throw refused(response, "Sec-WebSocket-Accept " + (accept.isEmpty() ? "missing" : "wrong: " + accept));
        }
        return new Agreed(subprotocol(response), deflate(response));
    }

    private String subprotocol(HttpResponseHead response) throws WebSocketHandshakeException {
        List<String> selected = response.headers("Sec-WebSocket-Protocol");
        if (selected.isEmpty()) {
            return "";
        }
        if (selected.size() != 1 || !subprotocols.contains(selected.get(0))) {
            throw refused(response, "subprotocol " + selected + " was not offered (offered: " + subprotocols + ")");
        }
        return selected.get(0);
    }

    private PerMessageDeflate deflate(HttpResponseHead response) throws WebSocketHandshakeException {
        List<ExtensionOffer> agreed;
        try {
            agreed = HeaderLists.extensions(response.headers("Sec-WebSocket-Extensions"));
        } catch (HttpException e) {
            throw refused(response, "malformed Sec-WebSocket-Extensions");
        }
        if (agreed.isEmpty()) {
            return null;
        }
        ExtensionOffer answer = agreed.get(0);
        if (agreed.size() > 1 || deflateOffer == null || !answer.name().equals(PerMessageDeflate.NAME)) {
            throw refused(response, "extensions " + agreed + " were not offered");
        }
        return deflateOffer.acceptAnswer(answer.parameters()).orElseThrow(() -> refused(response,
                "permessage-deflate answer '" + answer + "' is not allowed by the offer '" + deflateOffer.responseHeader() + "'"));
    }

    private static WebSocketHandshakeException refused(HttpResponseHead response, String why) {
        return new WebSocketHandshakeException("upgrade refused: " + why, response.status(), null);
    }
}

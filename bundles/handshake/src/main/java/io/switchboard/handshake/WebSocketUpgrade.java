package io.switchboard.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.switchboard.codec.PerMessageDeflate;

/**
 * The server side of the RFC 6455 §4.2 opening handshake: a request that passed
 * {@link #check(HttpRequest)}, with what it offers.
 */
public final class WebSocketUpgrade {
    /** The GUID that RFC 6455 §1.3 appends to the key before hashing it. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);
    private static final String VERSION = "13";
    /** The length of the base64 of 16 bytes: 21 characters of 6 bits, one of 2 bits, and "==". */
    private static final int KEY_LENGTH = 24;
    /**
     * A SHA-1 never updated, cloned for each accept key: {@code MessageDigest.getInstance} looks up
     * the provider and builds the digest reflectively, which in a storm of handshakes on a cold
     * server costs more than the hash.
     */
    private static final MessageDigest SHA1 = newSha1();

    private final HttpRequest request;
    private final String key;
    private final List<String> offeredSubprotocols;
    private final List<ExtensionOffer> offeredExtensions;

    private WebSocketUpgrade(HttpRequest request, String key, List<String> offeredSubprotocols,
            List<ExtensionOffer> offeredExtensions) {
        this.request = request;
        this.key = key;
        this.offeredSubprotocols = List.copyOf(offeredSubprotocols);
        this.offeredExtensions = List.copyOf(offeredExtensions);
    }

    /**
     * True if the request tries to open a WebSocket: its {@code Upgrade} names {@code websocket},
     * or it carries a {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version}. Other requests,
     * including those that offer another upgrade such as {@code h2c} (which a server may ignore,
     * RFC 9110 §7.8), are plain HTTP.
     */
    public static boolean isWebSocketRequest(HttpRequest request) {
        return HeaderLists.containsToken(request.headers("Upgrade"), "websocket")
                || !request.headers("Sec-WebSocket-Key").isEmpty()
                || !request.headers("Sec-WebSocket-Version").isEmpty();
    }

    /**
     * Checks a request against RFC 6455 §4.2.1, in this order, and throws the first answer that
     * applies:
     * <ol>
     *   <li>a method other than GET: 405 with {@code Allow: GET};</li>
     *   <li>no {@code Host} header, or more than one: 400;</li>
     *   <li>{@code Upgrade} without the token {@code websocket}: 400;</li>
     *   <li>{@code Connection} without the token {@code upgrade}: 400;</li>
     *   <li>{@code Sec-WebSocket-Version} other than exactly one value {@code 13}: 426 with
     *       {@code Sec-WebSocket-Version: 13}, which tells the client what to retry with
     *       (§4.4);</li>
     *   <li>{@code Sec-WebSocket-Key} missing, repeated, or not the base64 of 16 bytes: 400;</li>
     *   <li>a malformed {@code Sec-WebSocket-Protocol} or {@code Sec-WebSocket-Extensions}:
     *       400.</li>
     * </ol>
     * Tokens are compared ignoring case.
     */
    public static WebSocketUpgrade check(HttpRequest request) throws HttpException {
        if (!request.method().equals("GET")) {
            throw new HttpException(405, HttpResponses.reasonPhrase(405), List.<String[]>of(new String[] {"Allow", "GET"}));
        }
        if (request.headers("Host").size() != 1) {
            throw HttpException.badRequest("Exactly one Host header is required");
        }
        if (!HeaderLists.containsToken(request.headers("Upgrade"), "websocket")) {
            throw HttpException.badRequest("Upgrade must include websocket");
        }
        if (!HeaderLists.containsToken(request.headers("Connection"), "upgrade")) {
            throw HttpException.badRequest("Connection must include upgrade");
        }
        if (!request.headers("Sec-WebSocket-Version").equals(List.of(VERSION))) {
            // RFC 6455 §4.4 names the version we speak; RFC 9110 §15.5.22 requires Upgrade on a 426.
            throw new HttpException(426, HttpResponses.reasonPhrase(426), List.<String[]>of(
                    new String[] {"Sec-WebSocket-Version", VERSION}, new String[] {"Upgrade", "websocket"}));
        }
        String key = checkedKey(request.headers("Sec-WebSocket-Key"));
        List<String> subprotocols = HeaderLists.tokens(request.headers("Sec-WebSocket-Protocol"));
        List<ExtensionOffer> extensions = HeaderLists.extensions(request.headers("Sec-WebSocket-Extensions"));
        return new WebSocketUpgrade(request, key, subprotocols, extensions);
    }

    /**
     * The key must be the base64 of 16 bytes (§4.1), in the canonical spelling: 24 characters
     * with padding. Checked character by character, with no decoding: 128 bits are 21 full
     * characters and one that carries the last 2 bits in its high bits, so its low 4 bits are
     * zero (A, Q, g or w), then "==". This rejects what a lenient decoder lets through (missing
     * padding, stray bits in the last character).
     */
    private static String checkedKey(List<String> keys) throws HttpException {
        if (keys.size() != 1) {
            throw HttpException.badRequest("Exactly one Sec-WebSocket-Key header is required");
        }
        String key = keys.get(0);
        if (isCanonicalKey(key)) {
            return key;
        }
        throw HttpException.badRequest("Sec-WebSocket-Key must be 16 bytes in base64");
    }

    static boolean isCanonicalKey(String key) {
        if (key.length() != KEY_LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            int value = HttpChars.base64Value(key.charAt(i));
            if (value < 0 || i == 21 && (value & 0x0F) != 0) {
                return false;
            }
        }
        return true;
    }

    public HttpRequest request() {
        return request;
    }

    /** The {@code Sec-WebSocket-Key}, as sent. */
    public String key() {
        return key;
    }

    /** The subprotocols of {@code Sec-WebSocket-Protocol}, in the client's order of preference. */
    public List<String> offeredSubprotocols() {
        return offeredSubprotocols;
    }

    /** The offers of {@code Sec-WebSocket-Extensions}, in the client's order of preference. */
    public List<ExtensionOffer> offeredExtensions() {
        return offeredExtensions;
    }

    /**
     * Negotiates permessage-deflate (RFC 7692): the first offer of it that
     * {@link PerMessageDeflate#accept} takes. A client may offer it several times with
     * different parameters, best first, so a declined offer is no reason to give up.
     *
     * @param preferNoContextTakeover whether this server wants both sides to reset their
     *                                compression context after each message
     * @return the agreed parameters, or empty if no offer was acceptable
     */
    public Optional<PerMessageDeflate> negotiateDeflate(boolean preferNoContextTakeover) {
        for (ExtensionOffer offer : offeredExtensions) {
            if (offer.name().equals(PerMessageDeflate.NAME)) {
                Optional<PerMessageDeflate> accepted = PerMessageDeflate.accept(offer.parameters(), preferNoContextTakeover);
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code Sec-WebSocket-Accept} for a key: base64(SHA-1(key + GUID)), RFC 6455 §4.2.2. */
    public static String acceptKey(String key) {
        MessageDigest sha1 = sha1();
        sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1.digest(GUID_BYTES));
    }

    private static MessageDigest sha1() {
        try {
            return (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException e) {
            return newSha1(); // a provider whose SHA-1 cannot be cloned: looked up each time
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest javadoc), so this cannot happen.
            throw new IllegalStateException(e);
        }
    }
}

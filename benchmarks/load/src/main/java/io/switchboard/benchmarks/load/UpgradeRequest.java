package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/** One connection's opening handshake (RFC 6455 §4.1): the request and the check of the response. */
final class UpgradeRequest {
    static final String PATH = "/echo";
    static final String DEFLATE_OFFER = "permessage-deflate; client_no_context_takeover";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    final String key;
    final byte[] bytes;
    private final boolean deflate;

    UpgradeRequest(String hostHeader, String key, boolean deflate) {
        this(PATH, hostHeader, key, deflate);
    }

    UpgradeRequest(String path, String hostHeader, String key, boolean deflate) {
        this.key = key;
        this.deflate = deflate;
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: " + DEFLATE_OFFER + "\r\n" : "")
                + "\r\n";
        this.bytes = request.getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh random key: 16 random bytes, base64. */
    static String randomKey(SplittableRandom random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The Sec-WebSocket-Accept value a server must answer to {@code key}. */
    static String acceptFor(String key) {
        byte[] digest = SHA1.get().digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** Looking a digest up costs more than using it; S4 verifies thousands of handshakes a second. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    });

    /**
     * Fails unless the response accepts this request: 101, the upgrade headers, the right accept
     * value, and permessage-deflate exactly when it was offered.
     */
    void verify(ResponseHead response) throws ProtocolException {
        if (response.status != 101) {
            throw new ProtocolException("the server answered " + response.status + " instead of 101");
        }
        if (!"websocket".equalsIgnoreCase(response.header("Upgrade"))) {
            throw new ProtocolException("no Upgrade: websocket in the response");
        }
        if (!response.headerHasToken("Connection", "upgrade")) {
            throw new ProtocolException("no Connection: Upgrade in the response");
        }
        String accept = response.header("Sec-WebSocket-Accept");
        if (!acceptFor(key).equals(accept)) {
            throw new ProtocolException("wrong Sec-WebSocket-Accept: " + accept);
        }
        verifyExtensions(response.header("Sec-WebSocket-Extensions"));
    }

    private void verifyExtensions(String extensions) throws ProtocolException {
        if (!deflate) {
            if (extensions != null && !extensions.isBlank()) {
                throw new ProtocolException("the server accepted extensions that were not offered: " + extensions);
            }
            return;
        }
        if (extensions == null || !extensions.trim().toLowerCase(Locale.ROOT).startsWith("permessage-deflate")) {
            throw new ProtocolException("the server did not accept permessage-deflate (Sec-WebSocket-Extensions: "
                    + extensions + "); refusing to report a non-deflate run as a deflate run");
        }
        if (extensions.contains(",")) {
            throw new ProtocolException("the server accepted more than one extension: " + extensions);
        }
        for (String parameter : extensions.split(";")) {
            String name = parameter.trim().split("=")[0].trim();
            if (name.equalsIgnoreCase("client_max_window_bits")) {
                // java.util.zip always compresses with a 32 KiB window; a smaller one is not offered.
                throw new ProtocolException("the server limited the client's window, which was not offered: " + extensions);
            }
        }
    }
}

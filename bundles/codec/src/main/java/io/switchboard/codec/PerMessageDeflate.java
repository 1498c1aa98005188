package io.switchboard.codec;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The permessage-deflate parameters agreed for a connection (RFC 7692 §7), and both sides of
 * their negotiation: a server answering an offer ({@link #accept}), a client checking the answer
 * to its own ({@link #acceptAnswer}).
 *
 * <p>{@code java.util.zip} always compresses with a 32 KiB (15-bit) window. A message of at most
 * 2<sup>bits</sup> bytes compressed by a fresh compressor still never refers back further than
 * 2<sup>bits</sup> bytes, since nothing came before it. So an offer of
 * {@code server_max_window_bits} below 15 is accepted with {@code server_no_context_takeover} in
 * the answer (which RFC 7692 §7.1.1.1 lets a server add unasked), and a longer message goes out
 * uncompressed (see {@link #maxCompressedLength()}). Inflating accepts any window the client uses,
 * so {@code client_max_window_bits} never needs answering (§7.1.2.2 makes the answer optional).
 *
 * @param serverNoContextTakeover the server resets its compressor after every message
 * @param clientNoContextTakeover the client resets its compressor after every message, so the
 *                                server may reset its decompressor too
 * @param serverMaxWindowBits     the client's {@code server_max_window_bits}, 8 to 15, which the
 *                                answer must then repeat (RFC 7692 §7.1.2.1); 0 when not offered
 */
public record PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits) {
    /** The extension token in {@code Sec-WebSocket-Extensions}. */
    public static final String NAME = "permessage-deflate";

    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    private static final int JAVA_ZIP_WINDOW_BITS = 15;

    /** Parameters with the window sizes left unstated. */
    public PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
        this(serverNoContextTakeover, clientNoContextTakeover, 0);
    }

    /**
     * Answers one permessage-deflate offer as a server.
     *
     * @param offer                 the offer's parameters, in the order sent
     * @param preferNoContextTakeover whether this server wants both sides to reset their
     *                              compression context after each message, which bounds the
     *                              memory a connection keeps between messages
     * @return the agreed parameters, or empty to decline this offer (an unknown, repeated or
     *         malformed parameter)
     */
    public static Optional<PerMessageDeflate> accept(List<ExtensionParameter> offer, boolean preferNoContextTakeover) {
        boolean serverNoContextTakeover = preferNoContextTakeover;
        boolean clientNoContextTakeover = preferNoContextTakeover;
        int serverMaxWindowBits = 0;
        Set<String> seen = new HashSet<>();
        for (ExtensionParameter parameter : offer) {
            String name = parameter.name();
            if (!seen.add(name)) {
                return Optional.empty();
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    if (parameter.value() != null) {
                        return Optional.empty();
                    }
                    serverNoContextTakeover = true;
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (parameter.value() != null) {
                        return Optional.empty();
                    }
                    clientNoContextTakeover = true; // echoed, so that the client's hint becomes a promise
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    serverMaxWindowBits = windowBits(parameter.value());
                    if (serverMaxWindowBits < 0) {
                        return Optional.empty();
                    }
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    if (parameter.value() != null && windowBits(parameter.value()) < 0) {
                        return Optional.empty();
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        // A window narrower than zlib's holds only if no history spans messages.
        serverNoContextTakeover |= serverMaxWindowBits != 0 && serverMaxWindowBits < JAVA_ZIP_WINDOW_BITS;
        return Optional.of(new PerMessageDeflate(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits));
    }

    /**
     * The longest message the server may compress: 2<sup>bits</sup> bytes under a
     * {@code server_max_window_bits} below 15 (no back-reference of a message compressed on its
     * own reaches further than its length), else unbounded. Longer ones go out uncompressed.
     */
    public int maxCompressedLength() {
        return serverMaxWindowBits != 0 && serverMaxWindowBits < JAVA_ZIP_WINDOW_BITS
                ? 1 << serverMaxWindowBits : Integer.MAX_VALUE;
    }

    /**
     * The {@code Sec-WebSocket-Extensions} value with these parameters: a server's answer that
     * tells the client what was agreed, or a client's offer.
     */
    public String responseHeader() {
        StringBuilder header = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            header.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            header.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (serverMaxWindowBits != 0) {
            header.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(serverMaxWindowBits);
        }
        return header.toString();
    }

    /**
     * Checks, as a client that offered these parameters, the server's answer (RFC 7692 §7.1.1,
     * §7.1.2): either no-context-takeover may be added unasked, one that was asked for must be
     * there; {@code server_max_window_bits} must be there if asked for, at most the offered value,
     * and may be added unasked (inflating takes any window); {@code client_max_window_bits} is
     * never offered, so it may not be answered. Anything else, or anything twice, is refused.
     *
     * @return what was agreed; empty if the answer is not one this offer allows
     */
    public Optional<PerMessageDeflate> acceptAnswer(List<ExtensionParameter> answer) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = 0;
        Set<String> seen = new HashSet<>();
        for (ExtensionParameter parameter : answer) {
            String name = parameter.name();
            boolean flag = parameter.value() == null;
            if (!seen.add(name)) {
                return Optional.empty();
            } else if (name.equals(SERVER_NO_CONTEXT_TAKEOVER) && flag) {
                serverNoContext = true;
            } else if (name.equals(CLIENT_NO_CONTEXT_TAKEOVER) && flag) {
                clientNoContext = true;
            } else if (name.equals(SERVER_MAX_WINDOW_BITS)) {
                serverBits = windowBits(parameter.value());
                if (serverBits < 0 || (serverMaxWindowBits != 0 && serverBits > serverMaxWindowBits)) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
        }
        if ((serverNoContextTakeover && !serverNoContext) || (serverMaxWindowBits != 0 && serverBits == 0)) {
            return Optional.empty();
        }
        return Optional.of(new PerMessageDeflate(serverNoContext, clientNoContext || clientNoContextTakeover, serverBits));
    }

    /** An RFC 7692 window size: 8 to 15 in plain decimal digits; -1 for anything else. */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return -1;
        }
        int bits = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            bits = bits * 10 + (c - '0');
        }
        return bits >= 8 && bits <= 15 ? bits : -1;
    }
}

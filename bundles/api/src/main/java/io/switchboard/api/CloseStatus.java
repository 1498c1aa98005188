package io.switchboard.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The status of a WebSocket close: a code and a reason (RFC 6455 §5.5.1, §7.4).
 *
 * <p>A {@code CloseStatus} describes how a connection ended, as reported to
 * {@link ConnectionHandler#disconnect}. It can therefore hold the three codes that are never
 * sent in a Close frame but stand for what happened instead: 1005, 1006 and 1015. Whether a
 * code may be <em>sent</em> is a separate question, answered by {@link #isSendable(int)} and
 * enforced by {@link Connection#close(int, String)}.
 *
 * <table>
 *   <caption>The close code space (RFC 6455 §7.4, IANA "WebSocket Close Code Number Registry")</caption>
 *   <tr><th>code</th><th>meaning</th><th>{@link #isSendable sendable}</th><th>{@link #of of} accepts</th></tr>
 *   <tr><td>0–999</td><td>not used</td><td>no</td><td>no</td></tr>
 *   <tr><td>1000–1003</td><td>normal, going away, protocol error, unsupported data</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>1004</td><td>reserved, no meaning yet</td><td>no</td><td>no</td></tr>
 *   <tr><td>1005, 1006</td><td>no status received, closed abnormally (reported only)</td><td>no</td><td>yes</td></tr>
 *   <tr><td>1007–1014</td><td>invalid payload … bad gateway (1012–1014: IANA registry)</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>1015</td><td>TLS handshake failed (reported only)</td><td>no</td><td>yes</td></tr>
 *   <tr><td>1016–2999</td><td>reserved for revisions of the protocol</td><td>no</td><td>no</td></tr>
 *   <tr><td>3000–3999</td><td>registered with IANA by libraries and frameworks</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>4000–4999</td><td>private use, by agreement between the two ends</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>5000–65535</td><td>undefined</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>The reason is at most {@value #MAX_REASON_BYTES} bytes in UTF-8: a Close frame's payload
 * is at most 125 bytes, two of which carry the code. Instances are immutable.
 */
@ProviderType
public final class CloseStatus {

    /** 1000: the purpose of the connection has been fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: an end is going away, such as a server shutting down or a browser leaving the page. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a message of a type this end cannot accept, such as binary where only text is understood. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: the peer's Close frame carried no code. Never sent; reported by the server. */
    public static final int NO_STATUS = 1005;
    /** 1006: the TCP connection ended without a Close frame from the peer. Never sent; reported by the server. */
    public static final int ABNORMAL = 1006;
    /** 1007: a message's content did not match its type, such as invalid UTF-8 in a text message. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message or behaviour broke this end's policy; the generic code when no other fits. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: sent by a client whose required extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: an unexpected condition kept this end from fulfilling the request. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting; the client may reconnect. */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: the service is overloaded; the client should reconnect later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway or proxy got an invalid response from the server behind it. */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: the TLS handshake failed. Never sent; reported by the server. */
    public static final int TLS_HANDSHAKE_FAILED = 1015;

    /** The longest reason, in UTF-8 bytes, that fits in a Close frame beside its code. */
    public static final int MAX_REASON_BYTES = 123;

    private final int code;
    private final String reason;

    private CloseStatus(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * Returns the status with this code and no reason.
     *
     * @throws IllegalArgumentException if {@link #of} does not accept the code (see the table above)
     */
    public static CloseStatus of(int code) {
        return of(code, "");
    }

    /**
     * Returns the status with this code and reason.
     *
     * @param code a code that may be sent, or 1005, 1006 or 1015 (see the table above)
     * @param reason the reason, {@code ""} for none; at most {@value #MAX_REASON_BYTES} bytes in UTF-8
     * @throws IllegalArgumentException if the code is not accepted, or the reason is too long or
     *     contains an unpaired surrogate (it could not be encoded in UTF-8)
     * @throws NullPointerException if reason is null
     */
    public static CloseStatus of(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!isSendable(code) && !isReportedOnly(code)) {
            throw new IllegalArgumentException("not a WebSocket close code: " + code);
        }
        int bytes = utf8Length(reason);
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason is " + bytes + " bytes in UTF-8, more than " + MAX_REASON_BYTES);
        }
        return new CloseStatus(code, reason);
    }

    /**
     * Tells whether a Close frame may carry this code: 1000–1003, 1007–1014 and 3000–4999.
     * The server fails a connection whose peer sends any other code, with 1002.
     */
    public static boolean isSendable(int code) {
        return (code >= NORMAL && code <= UNSUPPORTED_DATA)
                || (code >= INVALID_PAYLOAD && code <= BAD_GATEWAY)
                || (code >= 3000 && code <= 4999);
    }

    /** The close code. */
    public int code() {
        return code;
    }

    /** The reason, {@code ""} if there is none; never null. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CloseStatus that && code == that.code && reason.equals(that.reason);
    }

    @Override
    public int hashCode() {
        return 31 * code + reason.hashCode();
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? "CloseStatus[" + code + "]" : "CloseStatus[" + code + ", " + reason + "]";
    }

    // Codes that stand for what happened when no code could be received; RFC 6455 forbids sending them.
    private static boolean isReportedOnly(int code) {
        return code == NO_STATUS || code == ABNORMAL || code == TLS_HANDSHAKE_FAILED;
    }

    // Counted by hand rather than with getBytes(UTF_8): that would silently turn an unpaired
    // surrogate into '?', and a reason must reach the peer as written or not at all.
    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                throw new IllegalArgumentException("close reason has an unpaired surrogate at index " + i);
            }
        }
        return bytes;
    }
}

package io.switchboard.codec;

/**
 * The peer broke RFC 6455 or RFC 7692, or a configured limit: the connection must be failed with
 * {@link #closeCode()} and {@link #getMessage()} as the close reason.
 *
 * <p>It carries no stack trace: it describes the peer's bytes, not a fault in this code, and a
 * hostile peer must not be able to make the server pay for stack walks.
 */
public final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    /** 1002: a frame that breaks the framing rules. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1007: text that is not UTF-8, or a payload that does not inflate. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1009: a frame or message over its configured limit. */
    public static final int MESSAGE_TOO_BIG = 1009;

    private final int closeCode;

    /** The reason must fit in a close frame: at most 123 bytes of UTF-8. */
    public ProtocolViolation(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }

    static ProtocolViolation protocolError(String reason) {
        return new ProtocolViolation(PROTOCOL_ERROR, reason);
    }

    static ProtocolViolation invalidPayload(String reason) {
        return new ProtocolViolation(INVALID_PAYLOAD, reason);
    }

    static ProtocolViolation tooBig(String reason) {
        return new ProtocolViolation(MESSAGE_TOO_BIG, reason);
    }
}

package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The payload of a close frame (RFC 6455 §5.5.1): an optional code and a UTF-8 reason. */
public final class CloseFrames {
    /** Reported when a close frame carries no code; never sent on the wire. */
    public static final int NO_STATUS = 1005;
    /** A close frame's payload is at most 125 bytes, two of which are the code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseFrames() {
    }

    /**
     * Whether {@code code} may appear in a close frame: the codes RFC 6455 §7.4.1 defines for use
     * on the wire (1000–1003, 1007–1011), those IANA registered since (1012–1014), and the ranges
     * for libraries and applications (3000–4999). 1004–1006 and 1015 are reserved for reporting.
     */
    public static boolean isValidCode(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * Checks a received close payload and returns its code ({@link #NO_STATUS} if empty). On
     * return the payload's position is at the first byte of the reason, already checked as UTF-8.
     */
    public static int readCode(ByteBuffer payload) throws ProtocolViolation {
        int length = payload.remaining();
        if (length == 0) {
            return NO_STATUS;
        }
        if (length == 1) {
            throw ProtocolViolation.protocolError("close frame with a 1-byte payload");
        }
        int at = payload.position();
        int code = (payload.get(at) & 0xFF) << 8 | (payload.get(at + 1) & 0xFF);
        if (!isValidCode(code)) {
            throw ProtocolViolation.protocolError("invalid close code " + code);
        }
        payload.position(at + 2);
        Utf8Validator utf8 = new Utf8Validator();
        if (utf8.validate(payload) >= 0 || !utf8.isComplete()) {
            throw ProtocolViolation.invalidPayload("close reason is not valid UTF-8");
        }
        return code;
    }

    /**
     * Writes a close payload: the code and as much of {@code reason} as fits in 123 bytes, cut at a
     * character boundary so that the reason stays valid UTF-8.
     */
    public static ByteBuffer payload(int code, String reason) {
        if (!isValidCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        byte[] text = truncate(reason == null ? "" : reason);
        ByteBuffer payload = ByteBuffer.allocate(2 + text.length);
        payload.putShort((short) code).put(text).flip();
        return payload;
    }

    private static byte[] truncate(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length <= MAX_REASON_BYTES) {
            return text;
        }
        int end = MAX_REASON_BYTES;
        while ((text[end] & 0xC0) == 0x80) { // back up to the start of the cut character
            end--;
        }
        return java.util.Arrays.copyOf(text, end);
    }
}

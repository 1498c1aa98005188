package io.switchboard.testing;

import java.nio.charset.StandardCharsets;

/**
 * A frame the server sent, as {@link RawWebSocketClient} read it: the first byte (FIN, the
 * reserved bits and the opcode) and the payload. Nothing is interpreted on the way in, so a test
 * sees a reserved bit or a fragment exactly as the server wrote it.
 */
public record Frame(int first, byte[] payload) {

    public boolean fin() {
        return (first & Frames.FIN) != 0;
    }

    public boolean rsv1() {
        return (first & Frames.RSV1) != 0;
    }

    /** The three reserved bits, RSV1 highest, as they stand in the first byte ({@code 0x70} for all). */
    public int rsv() {
        return first & 0x70;
    }

    public int opcode() {
        return first & 0x0F;
    }

    public boolean isClose() {
        return opcode() == Frames.CLOSE;
    }

    /** The close code, or 1005 (no status) for an empty Close payload. */
    public int closeCode() {
        if (payload.length < 2) {
            return 1005;
        }
        return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
    }

    public String closeReason() {
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    /** The payload as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The frame as the server put it on the wire (the server does not mask). */
    public byte[] toBytes() {
        return Frames.unmasked(first, payload);
    }

    @Override
    public String toString() {
        String what = switch (opcode()) {
            case Frames.CLOSE -> "close " + closeCode() + " '" + closeReason() + "'";
            case Frames.TEXT -> "text '" + (payload.length > 40 ? text().substring(0, 40) + "…" : text()) + "'";
            default -> Frames.name(opcode()) + ", " + payload.length + " bytes";
        };
        return "Frame[" + what + (fin() ? "" : ", not final") + (rsv() == 0 ? "" : ", rsv " + Integer.toHexString(rsv())) + "]";
    }
}

package io.switchboard.codec;

/** The frame opcodes of RFC 6455 §5.2, as the {@code int}s the hot path works with. */
public final class Opcode {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Control frames have the high bit of the opcode set: close, ping, pong and reserved 0xB–0xF. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** The six opcodes RFC 6455 defines; everything else is reserved for future use. */
    public static boolean isDefined(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }
}

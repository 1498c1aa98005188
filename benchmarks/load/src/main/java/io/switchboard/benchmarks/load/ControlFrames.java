package io.switchboard.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The control frames a {@link Receiver} reads from the server: the latest ping, to be answered,
 * and the close, once it came. Fed a control frame's bytes (already unmasked) between
 * {@link #start} and {@link #end}. Selector thread only, like the receiver that holds it.
 */
final class ControlFrames {
    private final byte[] payload = new byte[125];
    private int length;
    private byte[] ping;
    private int closeCode = -1;
    private String closeReason = "";

    void start() {
        length = 0;
    }

    void add(byte b) {
        payload[length++] = b;
    }

    /** The control frame with this opcode has ended. */
    void end(int opcode) {
        if (opcode == ClientFrames.OPCODE_PING) {
            ping = Arrays.copyOf(payload, length);
        } else if (opcode == ClientFrames.OPCODE_CLOSE) {
            closeCode = length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
            closeReason = new String(payload, 2, Math.max(0, length - 2), StandardCharsets.UTF_8);
        } // a pong: nothing to keep
    }

    /** See {@link Receiver#takePing}. */
    byte[] takePing() {
        byte[] taken = ping;
        ping = null;
        return taken;
    }

    boolean closeReceived() {
        return closeCode >= 0;
    }

    String describeClose() {
        return "code " + closeCode + (closeReason.isEmpty() ? "" : " (" + closeReason + ")");
    }
}

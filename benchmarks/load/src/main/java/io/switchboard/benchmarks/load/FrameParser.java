package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * A resumable parser of server-to-client frames (RFC 6455 §5.2). It consumes every byte it is
 * given: a header split across reads is kept in a 14-byte array, and payload bytes are handed to
 * the {@link Handler} in place, as they arrive, without copying.
 *
 * <p>Frame-level rules are checked here; message-level rules (continuations, RSV1) belong to the
 * handler, which knows what was negotiated.
 */
final class FrameParser {
    /** Receives the frames in order; one call sequence frameStart, payload*, frameEnd per frame. */
    interface Handler {
        void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey)
                throws ProtocolException;

        /** Payload bytes {@code in[from, from + length)}, which are at {@code frameOffset} in the frame. */
        void payload(ByteBuffer in, int from, int length, long frameOffset) throws ProtocolException;

        void frameEnd() throws ProtocolException;
    }

    private static final int MAX_HEADER = 14;

    private final boolean allowMasked;
    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private boolean inPayload;
    private long remaining;
    private long frameOffset;

    /**
     * @param allowMasked accept masked frames, which only a raw TCP echo returns (a WebSocket server
     *     must never mask, RFC 6455 §5.1)
     */
    FrameParser(boolean allowMasked) {
        this.allowMasked = allowMasked;
    }

    /** Consumes all of {@code in}, calling the handler for what it completes. */
    void parse(ByteBuffer in, Handler handler) throws ProtocolException {
        while (in.hasRemaining()) {
            if (!inPayload) {
                if (!takeWholeHeader(in) && !collectHeader(in)) {
                    return;
                }
                startFrame(handler);
            } else {
                int length = (int) Math.min(remaining, in.remaining());
                int from = in.position();
                in.position(from + length);
                handler.payload(in, from, length, frameOffset);
                frameOffset += length;
                remaining -= length;
                if (remaining == 0) {
                    endFrame(handler);
                }
            }
        }
    }

    /** The common case: a whole header in the buffer, taken in one bulk copy. */
    private boolean takeWholeHeader(ByteBuffer in) {
        if (headerLength != 0 || in.remaining() < 2) {
            return false;
        }
        int size = headerSize(in.get(in.position() + 1));
        if (in.remaining() < size) {
            return false;
        }
        in.get(header, 0, size);
        headerLength = size;
        return true;
    }

    /** A header split across reads, byte by byte. */
    private boolean collectHeader(ByteBuffer in) {
        while (in.hasRemaining()) {
            header[headerLength++] = in.get();
            if (headerLength >= 2 && headerLength == headerSize(header[1])) {
                return true;
            }
        }
        return false;
    }

    /** The header's size, known from its second byte. */
    private static int headerSize(byte second) {
        int lengthCode = second & 0x7F;
        int extended = lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0;
        return 2 + extended + ((second & 0x80) != 0 ? 4 : 0);
    }

    private void startFrame(FrameParser.Handler handler) throws ProtocolException {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        if ((b0 & 0x30) != 0) {
            throw new ProtocolException("RSV2 or RSV3 set in a server frame");
        }
        if (masked && !allowMasked) {
            throw new ProtocolException("the server masked a frame (RFC 6455 §5.1 forbids it)");
        }
        int lengthCode = b1 & 0x7F;
        int position = 2;
        long length = lengthCode;
        if (lengthCode == 126) {
            length = (header[2] & 0xFF) << 8 | header[3] & 0xFF;
            position = 4;
            if (length < 126) {
                throw new ProtocolException("non-minimal 16-bit length " + length);
            }
        } else if (lengthCode == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = length << 8 | header[i] & 0xFF;
            }
            position = 10;
            if (length < 0) {
                throw new ProtocolException("64-bit length with the most significant bit set");
            }
            if (length <= 0xFFFF) {
                throw new ProtocolException("non-minimal 64-bit length " + length);
            }
        }
        int maskKey = 0;
        if (masked) {
            for (int i = position; i < position + 4; i++) {
                maskKey = maskKey << 8 | header[i] & 0xFF;
            }
        }
        checkOpcode(opcode, fin, rsv1, length);
        inPayload = true;
        remaining = length;
        frameOffset = 0;
        handler.frameStart(opcode, fin, rsv1, length, masked, maskKey);
        if (length == 0) {
            endFrame(handler);
        }
    }

    private static void checkOpcode(int opcode, boolean fin, boolean rsv1, long length) throws ProtocolException {
        switch (opcode) {
            case ClientFrames.OPCODE_CONTINUATION, ClientFrames.OPCODE_TEXT, ClientFrames.OPCODE_BINARY -> {
            }
            case ClientFrames.OPCODE_CLOSE, ClientFrames.OPCODE_PING, ClientFrames.OPCODE_PONG -> {
                if (!fin || length > 125 || rsv1) {
                    throw new ProtocolException("control frame that is fragmented, longer than 125 bytes or has RSV1");
                }
            }
            default -> throw new ProtocolException("reserved opcode " + opcode);
        }
    }

    private void endFrame(FrameParser.Handler handler) throws ProtocolException {
        inPayload = false;
        headerLength = 0;
        handler.frameEnd();
    }
}

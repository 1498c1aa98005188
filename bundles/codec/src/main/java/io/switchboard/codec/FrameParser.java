package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A resumable RFC 6455 frame parser: feed it whatever bytes have arrived, in any number of reads,
 * and pull payload chunks out with {@link #next(ByteBuffer)}.
 *
 * <p>Each call yields at most one <em>chunk</em>: a window of unmasked payload bytes of the current
 * frame. A data frame whose payload is all in the buffer comes out as one chunk that is a view of
 * the caller's buffer (unmasked in place, not copied); a data frame that arrives in pieces comes
 * out as one chunk per piece, the first of which may be empty, so that a consumer can check each
 * piece as soon as it arrives. A control frame always comes out whole, as one chunk; if it
 * arrives in pieces the parser gathers it in a 125-byte buffer of its own.
 *
 * <p>Every frame-level rule is checked as soon as the bytes that could break it are in: the first
 * two bytes decide reserved bits, reserved opcodes, the mask bit, control-frame fragmentation and
 * size, and the fragmentation sequence; the extended length decides minimal encoding and the frame
 * size limit, before any payload byte is looked at.
 *
 * <p>A chunk stays valid until the next call or until the caller reuses its buffer. The parser
 * unmasks in place, so the buffer must be writable. Not thread-safe.
 */
public final class FrameParser {
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int RSV2_RSV3 = 0x30;
    private static final int MASKED = 0x80;
    private static final int MAX_HEADER_SIZE = 14;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** {@code role.expectsMaskedFrames()}: all the parser needs of its role. */
    private final boolean expectsMasked;
    private final long maxFrameSize;
    private final boolean compressionNegotiated;

    /**
     * Header bytes gathered here only when a header arrives split across reads; made the first
     * time one does (an idle connection keeps no buffer), then kept.
     */
    private ByteBuffer headerBytes;
    /** Control-frame payload gathered here only when it arrives split across reads; made likewise. */
    private ByteBuffer controlBytes;

    private boolean inPayload;
    private boolean fragmentedMessageOpen;

    private boolean fin;
    private boolean rsv1;
    private int opcode;
    private long frameLength;
    private long payloadLeft;
    private int maskKey;

    private boolean firstChunk;
    /**
     * The buffer the last chunk lies in, and the view that shows the chunk: made with the first
     * chunk (an idle connection keeps none), then only moved, since a connection reads into the
     * same buffer again and again; handing out a chunk allocates nothing.
     */
    private ByteBuffer chunkSource;
    private ByteBuffer chunkView;

    /**
     * @param role                  which end this parser reads for (servers require masked frames)
     * @param maxFrameSize          the largest payload a frame may declare; larger gets 1009
     * @param compressionNegotiated whether permessage-deflate was negotiated, which makes RSV1
     *                              legal on the first frame of a data message
     */
    public FrameParser(Role role, long maxFrameSize, boolean compressionNegotiated) {
        if (maxFrameSize < MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("maxFrameSize must be at least 125, was " + maxFrameSize);
        }
        this.expectsMasked = role.expectsMaskedFrames();
        this.maxFrameSize = maxFrameSize;
        this.compressionNegotiated = compressionNegotiated;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next chunk.
     *
     * @return true if a chunk is ready (see the accessors), false if every byte of {@code in}
     *         was consumed without completing one
     * @throws ProtocolViolation at the first byte that breaks a rule; the parser is then unusable
     */
    public boolean next(ByteBuffer in) throws ProtocolViolation {
        if (inPayload) {
            firstChunk = false;
        } else if (readHeader(in)) {
            inPayload = true;
            firstChunk = true;
        } else {
            return false;
        }
        return Opcode.isControl(opcode) ? readControlPayload(in) : readDataPayload(in);
    }

    /** The frame's opcode; for a continuation frame, {@link Opcode#CONTINUATION}. */
    public int opcode() {
        return opcode;
    }

    public boolean fin() {
        return fin;
    }

    /** RSV1, which permessage-deflate uses to mark the first frame of a compressed message. */
    public boolean rsv1() {
        return rsv1;
    }

    /** The payload length the frame header declared. */
    public long frameLength() {
        return frameLength;
    }

    /** The unmasked payload bytes of the chunk {@link #next} made ready, between its position and limit. */
    public ByteBuffer chunk() {
        return chunkView;
    }

    /** True for the chunk that follows the frame header (control frames: always). */
    public boolean isFirstChunk() {
        return firstChunk;
    }

    /** True for the chunk that ends the frame's payload. */
    public boolean isLastChunk() {
        return !inPayload;
    }

    private boolean readDataPayload(ByteBuffer in) {
        int length = (int) Math.min(payloadLeft, in.remaining());
        if (length == 0 && !firstChunk) {
            return false;
        }
        int from = in.position();
        maskKey = Masking.mask(in, from, from + length, maskKey);
        in.position(from + length);
        payloadLeft -= length;
        inPayload = payloadLeft > 0;
        show(in, from, from + length);
        return true;
    }

    private boolean readControlPayload(ByteBuffer in) {
        int available = in.remaining();
        if ((controlBytes == null || controlBytes.position() == 0) && available >= payloadLeft) {
            int from = in.position();
            int to = from + (int) payloadLeft;
            Masking.mask(in, from, to, maskKey);
            in.position(to);
            show(in, from, to);
        } else {
            int length = (int) Math.min(payloadLeft, available);
            if (controlBytes == null) {
                controlBytes = ByteBuffer.allocate(MAX_CONTROL_PAYLOAD);
            }
            controlBytes.put(controlBytes.position(), in, in.position(), length);
            controlBytes.position(controlBytes.position() + length);
            in.position(in.position() + length);
            payloadLeft -= length;
            if (payloadLeft > 0) {
                return false;
            }
            int size = controlBytes.position();
            Masking.mask(controlBytes, 0, size, maskKey);
            controlBytes.clear();
            show(controlBytes, 0, size);
        }
        payloadLeft = 0;
        inPayload = false;
        firstChunk = true;
        return true;
    }

    /**
     * Reads a whole header straight from {@code in} when it is there; otherwise gathers it byte by
     * byte, checking each rule as soon as the bytes that decide it are in.
     */
    private boolean readHeader(ByteBuffer in) throws ProtocolViolation {
        int available = in.remaining();
        if ((headerBytes == null || headerBytes.position() == 0) && available >= 2) {
            int from = in.position();
            checkFirstByte(in.get(from));
            int size = checkSecondByte(in.get(from), in.get(from + 1));
            if (available >= size) {
                decodeHeader(in, from);
                in.position(from + size);
                return true;
            }
        }
        if (!in.hasRemaining()) {
            return false;
        }
        if (headerBytes == null) {
            headerBytes = ByteBuffer.allocate(MAX_HEADER_SIZE);
        }
        while (in.hasRemaining()) {
            headerBytes.put(in.get());
            if (gatheredHeaderIsComplete()) {
                decodeHeader(headerBytes, 0);
                headerBytes.clear();
                return true;
            }
        }
        return false;
    }

    private boolean gatheredHeaderIsComplete() throws ProtocolViolation {
        int gathered = headerBytes.position();
        if (gathered == 1) {
            checkFirstByte(headerBytes.get(0));
            return false;
        }
        int size = checkSecondByte(headerBytes.get(0), headerBytes.get(1));
        int lengthEnd = size - ((headerBytes.get(1) & MASKED) != 0 ? 4 : 0);
        if (gathered == lengthEnd && lengthEnd > 2) {
            readLength(headerBytes, 0);
        }
        return gathered == size;
    }

    /** The rules the first byte decides: reserved bits, opcodes, and the fragmentation sequence. */
    private void checkFirstByte(byte first) throws ProtocolViolation {
        int code = first & 0x0F;
        if ((first & RSV2_RSV3) != 0) {
            throw ProtocolViolation.protocolError("RSV2 or RSV3 set without a negotiated extension");
        }
        if (!Opcode.isDefined(code)) {
            throw ProtocolViolation.protocolError("reserved opcode " + code);
        }
        if ((first & RSV1) != 0 && !(compressionNegotiated && (code == Opcode.TEXT || code == Opcode.BINARY))) {
            throw ProtocolViolation.protocolError(compressionNegotiated
                    ? "RSV1 set on a continuation or control frame"
                    : "RSV1 set without a negotiated extension");
        }
        if (Opcode.isControl(code)) {
            if ((first & FIN) == 0) {
                throw ProtocolViolation.protocolError("fragmented control frame");
            }
        } else if (code == Opcode.CONTINUATION && !fragmentedMessageOpen) {
            throw ProtocolViolation.protocolError("continuation frame without a message to continue");
        } else if (code != Opcode.CONTINUATION && fragmentedMessageOpen) {
            throw ProtocolViolation.protocolError("new data frame inside a fragmented message");
        }
    }

    /**
     * The rules the second byte decides: the mask bit and the size of a control frame.
     *
     * @return the size of the whole header
     */
    private int checkSecondByte(byte first, byte second) throws ProtocolViolation {
        int length7 = second & 0x7F;
        if (Opcode.isControl(first & 0x0F) && length7 > MAX_CONTROL_PAYLOAD) {
            throw ProtocolViolation.protocolError("control frame payload over 125 bytes");
        }
        boolean masked = (second & MASKED) != 0;
        if (masked != expectsMasked) {
            throw ProtocolViolation.protocolError(masked ? "masked frame from a server" : "unmasked frame from a client");
        }
        int extendedLength = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extendedLength + (masked ? 4 : 0);
    }

    /** The payload length of the header at {@code at}, checked for minimal encoding and the limit. */
    private long readLength(ByteBuffer src, int at) throws ProtocolViolation {
        long length = src.get(at + 1) & 0x7F;
        if (length == 126) {
            length = readBigEndian(src, at + 2, 2);
            if (length < 126) {
                throw ProtocolViolation.protocolError("non-minimal 16-bit length " + length);
            }
        } else if (length == 127) {
            length = readBigEndian(src, at + 2, 8);
            if (length < 0) {
                throw ProtocolViolation.protocolError("64-bit length with the most significant bit set");
            }
            if (length <= 0xFFFF) {
                throw ProtocolViolation.protocolError("non-minimal 64-bit length " + length);
            }
        }
        if (length > maxFrameSize) {
            throw ProtocolViolation.tooBig("frame of " + length + " bytes exceeds the limit of " + maxFrameSize);
        }
        return length;
    }

    /** Decodes a header that is wholly in {@code src} and whose first two bytes were checked. */
    private void decodeHeader(ByteBuffer src, int at) throws ProtocolViolation {
        int first = src.get(at);
        int second = src.get(at + 1);
        fin = (first & FIN) != 0;
        rsv1 = (first & RSV1) != 0;
        opcode = first & 0x0F;
        frameLength = readLength(src, at);
        payloadLeft = frameLength;
        int lengthSize = (second & 0x7F) == 126 ? 2 : (second & 0x7F) == 127 ? 8 : 0;
        maskKey = (second & MASKED) != 0 ? (int) readBigEndian(src, at + 2 + lengthSize, 4) : 0;
        if (!Opcode.isControl(opcode)) {
            fragmentedMessageOpen = !fin;
        }
    }

    private static long readBigEndian(ByteBuffer src, int at, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = value << 8 | (src.get(at + i) & 0xFF);
        }
        return value;
    }

    private void show(ByteBuffer buffer, int from, int to) {
        if (buffer != chunkSource) {
            chunkSource = buffer;
            chunkView = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        }
        chunkView.limit(to).position(from);
    }
}

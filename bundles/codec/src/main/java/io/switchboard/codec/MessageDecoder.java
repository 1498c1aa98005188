package io.switchboard.codec;

import java.nio.ByteBuffer;

/**
 * Turns the bytes a peer sends into whole messages: frames parsed by a {@link FrameParser},
 * fragments assembled, compressed messages inflated, text checked as UTF-8, every size bounded by
 * {@link DecoderLimits}.
 *
 * <p>Call {@link #decode(ByteBuffer)} with whatever bytes have arrived; it consumes them up to the
 * end of the next message or control frame and returns its opcode, or {@link #NEED_MORE} once
 * every byte is consumed. The message is then in {@link #payload()}. A message that was one
 * frame, whole in the caller's buffer and not compressed, is handed out as a view of that buffer;
 * any other is assembled in a buffer the decoder keeps and reuses. Either way the payload is valid
 * only until the next call. Control frames may come between the fragments of a message, as RFC
 * 6455 allows; they are returned as they come.
 *
 * <p>Checks fail fast: a text message is validated chunk by chunk as its bytes arrive, so the
 * first invalid byte is reported even if the rest of the frame has not been sent; a size limit is
 * enforced from a frame's header, or while inflating, before the bytes past it are stored.
 */
public final class MessageDecoder {
    /** Returned by {@link #decode(ByteBuffer)} when every byte was consumed without a message. */
    public static final int NEED_MORE = -1;

    private final FrameParser frames;
    private final DecoderLimits limits;
    /** Made with the first data message (idle connections keep none), then reused; see {@link #assembled()}. */
    private MessageBuffer assembled;
    private final MessageInflater inflater;
    /** Made with the first data message, then reused; see {@link #utf8()}. */
    private Utf8Validator utf8;

    /** An opcode (4 bits): as a byte, this object, which every connection has, is 8 bytes smaller. */
    private byte messageOpcode;
    private boolean compressed;
    /** A data message has begun and has not been returned yet. */
    private boolean assembling;
    private int fragments;
    private ByteBuffer payload;
    private int closeCode;

    /**
     * @param deflate the permessage-deflate parameters agreed in the handshake, or {@code null}
     *                if the extension was not negotiated
     */
    public MessageDecoder(Role role, DecoderLimits limits, PerMessageDeflate deflate) {
        this(role, limits, deflate, null);
    }

    /**
     * @param deflate as above
     * @param pool    lends an inflater for each message when the peer keeps no compression
     *                context, so that none is held between messages; null to keep one's own
     */
    public MessageDecoder(Role role, DecoderLimits limits, PerMessageDeflate deflate, ZlibPool pool) {
        this.limits = limits;
        this.frames = new FrameParser(role, limits.maxFrameSize(), deflate != null);
        boolean peerResets = deflate != null
                && (role == Role.SERVER ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover());
        this.inflater = deflate == null ? null : new MessageInflater(peerResets, pool);
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next message or control frame.
     *
     * @return {@link Opcode#TEXT}, {@link Opcode#BINARY}, {@link Opcode#CLOSE},
     *         {@link Opcode#PING} or {@link Opcode#PONG}; or {@link #NEED_MORE}
     * @throws ProtocolViolation when the peer broke a rule or a limit; fail the connection with its
     *                           close code. The decoder is unusable afterwards.
     */
    public int decode(ByteBuffer in) throws ProtocolViolation {
        while (frames.next(in)) {
            int opcode = frames.opcode();
            ByteBuffer chunk = frames.chunk();
            if (Opcode.isControl(opcode)) {
                return control(opcode, chunk);
            }
            if (frames.isFirstChunk()) {
                if (frames.isLastChunk() && frames.fin() && opcode != Opcode.CONTINUATION && !frames.rsv1()) {
                    return wholeMessage(opcode, chunk);
                }
                startFrame(opcode);
            }
            addChunk(chunk);
            if (frames.isLastChunk() && frames.fin()) {
                return finishMessage();
            }
        }
        return NEED_MORE;
    }

    /**
     * The last message or control frame's payload, between position and limit: the message, the
     * ping or pong data, or a close frame's reason (UTF-8, after the code). Valid until the next
     * call to {@link #decode(ByteBuffer)}.
     */
    public ByteBuffer payload() {
        return payload;
    }

    /** The code of the last close frame; {@link CloseFrames#NO_STATUS} if it carried none. */
    public int closeCode() {
        return closeCode;
    }

    /**
     * Lets go of a large assembly buffer kept from earlier messages, unless a message is being
     * put together now: call it when the peer has gone quiet. Until then, one buffer serves
     * message after message.
     */
    public void trim() {
        if (assembled != null && !assembling) {
            assembled.trim();
        }
    }

    /** Frees the assembly buffer and any zlib memory; call when the connection ends. */
    public void release() {
        if (assembled != null) {
            assembled.release();
        }
        if (inflater != null) {
            inflater.release();
        }
    }

    private int control(int opcode, ByteBuffer chunk) throws ProtocolViolation {
        if (opcode == Opcode.CLOSE) {
            closeCode = CloseFrames.readCode(chunk);
        }
        payload = chunk;
        return opcode;
    }

    private void startFrame(int opcode) throws ProtocolViolation {
        if (opcode != Opcode.CONTINUATION) {
            messageOpcode = (byte) opcode;
            compressed = frames.rsv1();
            fragments = 0;
            utf8().reset();
            assembled().clear();
            assembling = true;
        }
        if (++fragments > limits.maxFragments()) {
            throw ProtocolViolation.tooBig("message in more than " + limits.maxFragments() + " fragments");
        }
        if (!compressed) {
            checkSize(assembled().size() + frames.frameLength());
        }
    }

    private void checkSize(long size) throws ProtocolViolation {
        if (size > limits.maxMessageSize()) {
            throw ProtocolViolation.tooBig("message exceeds the limit of " + limits.maxMessageSize() + " bytes");
        }
    }

    /**
     * The fast path: a one-frame message whole in the caller's buffer goes out uncopied, without
     * touching the assembly buffer (nor, for binary, the UTF-8 state): for many connections, each
     * object a message touches is a likely cache miss.
     */
    private int wholeMessage(int opcode, ByteBuffer chunk) throws ProtocolViolation {
        checkSize(frames.frameLength());
        if (opcode == Opcode.TEXT) {
            utf8().reset();
            checkText(chunk, chunk.position(), chunk.limit());
            checkTextComplete();
        }
        payload = chunk;
        return opcode;
    }

    private void addChunk(ByteBuffer chunk) throws ProtocolViolation {
        int before = assembled().size();
        if (compressed) {
            inflater.inflate(chunk, assembled());
        } else {
            assembled().append(chunk);
        }
        if (messageOpcode == Opcode.TEXT) {
            checkText(assembled().storage(), before, assembled().size());
        }
    }

    private int finishMessage() throws ProtocolViolation {
        if (compressed) {
            int before = assembled().size();
            inflater.finishMessage(assembled());
            if (messageOpcode == Opcode.TEXT) {
                checkText(assembled().storage(), before, assembled().size());
            }
        }
        if (messageOpcode == Opcode.TEXT) {
            checkTextComplete();
        }
        assembling = false;
        payload = assembled().contents();
        return messageOpcode;
    }

    private void checkText(ByteBuffer buffer, int from, int to) throws ProtocolViolation {
        if (utf8().validate(buffer, from, to) >= 0) {
            throw ProtocolViolation.invalidPayload("text message is not valid UTF-8");
        }
    }

    private void checkTextComplete() throws ProtocolViolation {
        if (!utf8().isComplete()) {
            throw ProtocolViolation.invalidPayload("text message ends inside a UTF-8 sequence");
        }
    }

    private MessageBuffer assembled() {
        MessageBuffer buffer = assembled;
        if (buffer == null) {
            buffer = new MessageBuffer(limits.maxMessageSize());
            assembled = buffer;
        }
        return buffer;
    }

    private Utf8Validator utf8() {
        Utf8Validator validator = utf8;
        if (validator == null) {
            validator = new Utf8Validator();
            utf8 = validator;
        }
        return validator;
    }
}

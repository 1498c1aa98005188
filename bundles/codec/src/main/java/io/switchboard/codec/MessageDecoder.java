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
 * <p>A connection may ask for the messages of a kind in parts ({@link #receiveInParts}): each
 * piece of a message is then returned as it arrives, as {@link #TEXT_PART} or
 * {@link #BINARY_PART}, without being assembled. A part is at most what one chunk of a frame
 * brings (one read of a frame's bytes, never more than a frame), or one piece of inflated output
 * of at most {@value #INFLATED_PIECE} bytes; a text part ends on a code point, the bytes of one
 * split across chunks being carried to the next part. The message size and fragment count limits
 * do not apply to such a message, since nothing of it is kept; the frame size limit does.
 *
 * <p>Checks fail fast: a text message is validated chunk by chunk as its bytes arrive, so the
 * first invalid byte is reported even if the rest of the frame has not been sent; a size limit is
 * enforced from a frame's header, or while inflating, before the bytes past it are stored.
 */
public final class MessageDecoder {
    /** Returned by {@link #decode(ByteBuffer)} when every byte was consumed without a message. */
    public static final int NEED_MORE = -1;
    /** Returned for a part of a text message received in parts: valid UTF-8 that ends on a code point. */
    public static final int TEXT_PART = 0x10 | Opcode.TEXT;
    /** Returned for a part of a binary message received in parts. */
    public static final int BINARY_PART = 0x10 | Opcode.BINARY;
    /** The largest part that inflating a compressed message received in parts makes. */
    public static final int INFLATED_PIECE = 32 * 1024;
    /** Returned by the part methods when a chunk made no part to return (an empty one, or a carried code point). */
    private static final int NO_PART = -2;

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

    /** The kinds received in parts, as opcode bits: {@link Opcode#TEXT} and {@link Opcode#BINARY}. */
    private byte partKinds;
    /** The message being decoded is received in parts. */
    private boolean inParts;
    /** The part returned last ends its message. */
    private boolean lastPart;
    /** A compressed message received in parts: the inflater holds output for another part. */
    private boolean inflating;
    /** The chunk being inflated in parts ends its message. */
    private boolean inflatingLastChunk;
    /** Inflated parts are made here; made with the first, then reused. */
    private MessageBuffer piece;
    /** The start of a code point that a text part's chunk ended inside of, for the next part. */
    private byte[] carried;

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
        if (inflating) {
            int part = inflatedPart(null);
            if (part != NO_PART) {
                return part;
            }
        }
        while (frames.next(in)) {
            int opcode = frames.opcode();
            ByteBuffer chunk = frames.chunk();
            if (Opcode.isControl(opcode)) {
                return control(opcode, chunk);
            }
            if (frames.isFirstChunk()) {
                if (frames.isLastChunk() && frames.fin() && opcode != Opcode.CONTINUATION && !frames.rsv1()
                        && (partKinds & opcode) == 0) {
                    return wholeMessage(opcode, chunk);
                }
                startFrame(opcode);
            }
            if (inParts) {
                int part = compressed ? inflatedPart(chunk) : part(chunk, frames.isLastChunk() && frames.fin());
                if (part != NO_PART) {
                    return part;
                }
                continue;
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

    /**
     * Chooses which data messages are returned in parts, from the next message that begins; the
     * one under way, if any, goes on as it began.
     */
    public void receiveInParts(boolean text, boolean binary) {
        partKinds = (byte) ((text ? Opcode.TEXT : 0) | (binary ? Opcode.BINARY : 0));
    }

    /** Whether the part returned last ends its message. */
    public boolean isLastPart() {
        return lastPart;
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
        if (!assembling) {
            piece = null;
        }
    }

    /**
     * Whether a part is ready without another byte of input (inflated output waits): a caller that
     * stopped decoding calls {@link #decode} again before it waits for bytes.
     */
    public boolean hasPendingPart() {
        return inflating;
    }

    /** Frees the assembly buffer and any zlib memory; call when the connection ends. */
    public void release() {
        if (assembled != null) {
            assembled.release();
        }
        if (inflater != null) {
            inflater.release();
        }
        piece = null;
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
            assembling = true;
            inParts = (partKinds & opcode) != 0;
            if (inParts) {
                carried = null;
                return; // nothing is kept, so nothing is bounded but the frame
            }
            assembled().clear();
        }
        if (inParts) {
            return;
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

    /**
     * The next part of a message received in parts, from a chunk of its frames (or a piece of its
     * inflated output); {@link #NO_PART} if the chunk makes none and does not end the message.
     */
    private int part(ByteBuffer bytes, boolean last) throws ProtocolViolation {
        ByteBuffer part = bytes;
        if (messageOpcode == Opcode.TEXT) {
            checkText(bytes, bytes.position(), bytes.limit());
            part = wholeCodePoints(bytes);
            if (last) {
                checkTextComplete();
            }
        }
        if (!part.hasRemaining() && !last) {
            return NO_PART;
        }
        if (last) {
            assembling = false;
            inParts = false;
        }
        lastPart = last;
        payload = part;
        return messageOpcode | 0x10;
    }

    /**
     * The validated text bytes with the code point carried from the part before put in front and
     * the start of one that this chunk ends inside of taken off, for the next part. Copies only
     * when a code point is split (what is carried is at most 3 bytes).
     */
    private ByteBuffer wholeCodePoints(ByteBuffer bytes) {
        ByteBuffer text = bytes;
        if (carried != null) {
            text = ByteBuffer.allocate(carried.length + bytes.remaining()).put(carried).put(bytes).flip();
            carried = null;
        }
        if (utf8().isComplete()) {
            return text;
        }
        int end = text.limit();
        int start = end - 1;
        while ((text.get(start) & 0xC0) == 0x80) { // back over continuation bytes to the lead byte
            start--;
        }
        carried = new byte[end - start];
        text.get(start, carried);
        return text.limit(start);
    }

    /**
     * A part of a compressed message received in parts: a piece of what {@code chunk} inflates to
     * (null: of what the inflater still holds from the chunk before).
     */
    private int inflatedPart(ByteBuffer chunk) throws ProtocolViolation {
        if (chunk != null) {
            inflatingLastChunk = frames.isLastChunk() && frames.fin();
        }
        if (piece == null) {
            piece = new MessageBuffer(INFLATED_PIECE);
        }
        piece.clear();
        inflating = inflater.inflatePiece(chunk, inflatingLastChunk, piece);
        return part(piece.contents(), inflatingLastChunk && !inflating);
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

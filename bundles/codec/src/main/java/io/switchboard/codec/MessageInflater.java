package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate: inflates a message's frames into a
 * {@link MessageBuffer} whose limit caps the inflated size, so that a small compressed message
 * that inflates to gigabytes (a decompression bomb) is refused with 1009 as soon as it passes the
 * limit, having cost no more memory than the limit.
 *
 * <p>When the peer keeps no context and a {@link ZlibPool} is given, the inflater is borrowed for
 * one message and given back when it ends, so none is held between messages.
 */
final class MessageInflater {
    /** RFC 7692 §7.2.2: the sender strips this empty stored block from every message; put it back. */
    private static final byte[] SYNC_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int ROOM_STEP = 8 * 1024;

    private final boolean resetAfterMessage;
    /** Lends the inflater for each message; null when this one keeps its own. */
    private final ZlibPool pool;
    private final ByteBuffer syncTail = ByteBuffer.wrap(SYNC_TAIL);
    private final ByteBuffer probe = ByteBuffer.allocate(1);
    private Inflater inflater;
    /** What {@link #inflatePiece} inflates from: the caller's chunk, a copy of its rest, or the tail. */
    private ByteBuffer input;

    MessageInflater(boolean resetAfterMessage, ZlibPool pool) {
        this.resetAfterMessage = resetAfterMessage;
        this.pool = resetAfterMessage ? pool : null;
    }

    /** Inflates one chunk of a compressed message, appending to {@code out}. */
    void inflate(ByteBuffer compressed, MessageBuffer out) throws ProtocolViolation {
        if (inflater == null) {
            inflater = pool != null ? pool.takeInflater() : new Inflater(true);
        }
        if (inflater.finished()) {
            // A sender may end a message with a final (BFINAL) block, as RFC 7692 §7.2.3.4 shows;
            // what follows it in the same message, however it was split, carries no data.
            compressed.position(compressed.limit());
            return;
        }
        inflater.setInput(compressed);
        try {
            drain(out);
        } catch (DataFormatException e) {
            throw ProtocolViolation.invalidPayload("invalid deflate data");
        }
    }

    /** Ends a message: inflates the stripped tail, then resets if the context is not kept. */
    void finishMessage(MessageBuffer out) throws ProtocolViolation {
        if (inflater == null || !inflater.finished()) { // null: a message of empty frames
            inflate(syncTail.clear(), out);
        }
        endMessage();
    }

    /** Gives the inflater back, or resets it if the context is not kept. */
    private void endMessage() {
        if (pool != null) {
            pool.give(inflater);
            inflater = null;
        } else if (resetAfterMessage || inflater.finished()) {
            inflater.reset();
        }
    }

    /**
     * For a message delivered in parts: inflates {@code compressed} into {@code out} until the
     * input is used up or {@code out} is full at its limit; null goes on with the input left from
     * the call before. With {@code ends}, the message's stripped tail follows the input, and the
     * message is finished once all of it is out.
     *
     * @return true if {@code out} filled up and more output may follow: call again with null
     *     once its contents have been taken
     */
    boolean inflatePiece(ByteBuffer compressed, boolean ends, MessageBuffer out) throws ProtocolViolation {
        if (inflater == null) {
            inflater = pool != null ? pool.takeInflater() : new Inflater(true);
        }
        if (compressed != null) {
            input = compressed;
            if (inflater.finished()) { // after a final block, as in inflate
                compressed.position(compressed.limit());
            } else {
                inflater.setInput(compressed);
            }
        }
        try {
            while (true) {
                ByteBuffer room = out.room(ROOM_STEP);
                if (!room.hasRemaining()) {
                    if (input != syncTail && input.hasRemaining()) {
                        // The caller's buffer is reused before the next call: the rest moves here.
                        input = ByteBuffer.allocate(input.remaining()).put(input).flip();
                        inflater.setInput(input);
                    }
                    return true;
                }
                if (inflater.finished() || inflater.inflate(room) == 0) {
                    if (ends && input != syncTail && !inflater.finished()) {
                        input = syncTail.clear();
                        inflater.setInput(input);
                        continue;
                    }
                    if (ends) {
                        input = null;
                        endMessage();
                    }
                    return false;
                }
            }
        } catch (DataFormatException e) {
            throw ProtocolViolation.invalidPayload("invalid deflate data");
        }
    }

    /** Frees the native zlib memory at once rather than when the collector gets to it. */
    void release() {
        if (inflater != null && pool != null) {
            pool.give(inflater);
            inflater = null;
        } else if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private void drain(MessageBuffer out) throws DataFormatException, ProtocolViolation {
        while (true) {
            ByteBuffer room = out.room(ROOM_STEP);
            if (!room.hasRemaining()) {
                if (inflater.inflate(probe.clear()) > 0) {
                    throw ProtocolViolation.tooBig("message inflates past the limit of " + out.maxSize() + " bytes");
                }
                return;
            }
            if (inflater.inflate(room) == 0) {
                return; // needs input; a raw (nowrap) inflater never asks for a dictionary
            }
        }
    }
}

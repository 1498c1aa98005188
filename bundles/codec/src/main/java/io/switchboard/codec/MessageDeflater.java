package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate: compresses one message at a time into the payload of a
 * frame whose RSV1 is set (RFC 7692 §7.2.1). Not thread-safe; one per connection.
 *
 * <p>Made with a {@link ZlibPool}, it borrows a deflater from the pool for each message and keeps
 * neither the deflater nor an output buffer between messages.
 */
public final class MessageDeflater {
    private static final int SYNC_TAIL_LENGTH = 4;

    private final boolean resetAfterMessage;
    private final int level;
    /** Lends the deflater for each message; null when this one keeps its own. */
    private final ZlibPool pool;
    private final int maxLength;
    private Deflater deflater;
    /** Kept between messages unless pooled; null when there is none. */
    private ByteBuffer output;

    /**
     * @param resetAfterMessage true when this side agreed to no context takeover
     * @param level             a {@link Deflater} compression level, 0–9 or -1 for zlib's default
     */
    public MessageDeflater(boolean resetAfterMessage, int level) {
        if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be -1 to 9, was " + level);
        }
        this.resetAfterMessage = resetAfterMessage;
        this.level = level;
        this.pool = null;
        this.maxLength = Integer.MAX_VALUE;
    }

    /**
     * One that compresses every message on its own (no context takeover) with a deflater borrowed
     * from {@code pool}, and only messages of at most {@code maxLength} bytes (see {@link #compresses}).
     */
    public MessageDeflater(ZlibPool pool, int maxLength) {
        this.resetAfterMessage = true;
        this.level = pool.level();
        this.pool = pool;
        this.maxLength = maxLength;
    }

    /**
     * Whether a message this long may be compressed: false past the longest one whose
     * back-references stay within the agreed window ({@link PerMessageDeflate#maxCompressedLength}).
     */
    public boolean compresses(int length) {
        return length <= maxLength;
    }

    /**
     * True when every message is compressed on its own (no context takeover): its compressed form
     * is then the same for every deflater of the same level, and may be made once for many.
     */
    public boolean resetsAfterMessage() {
        return resetAfterMessage;
    }

    public int level() {
        return level;
    }

    /**
     * Compresses the remaining bytes of {@code message} (consuming them) and returns the payload
     * to send, without the trailing {@code 00 00 FF FF} that RFC 7692 says to strip. The returned
     * buffer is reused by the next call (a pooled one makes a new buffer for each message).
     */
    public ByteBuffer deflate(ByteBuffer message) {
        if (pool != null) {
            Deflater borrowed = pool.takeDeflater();
            ByteBuffer compressed = compress(borrowed, message);
            pool.give(borrowed);
            output = null; // the caller's now: nothing is kept between messages
            return compressed;
        }
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        return compress(deflater, message);
    }

    private ByteBuffer compress(Deflater deflater, ByteBuffer message) {
        int length = message.remaining();
        int room = length + (length >>> 10) + 64;
        output = output == null ? ByteBuffer.allocate(room) : output.clear();
        ensureRoom(room);
        deflater.setInput(message);
        while (deflater.deflate(output, Deflater.SYNC_FLUSH) > 0 && !output.hasRemaining()) {
            ensureRoom(output.capacity());
        }
        if (resetAfterMessage) {
            deflater.reset();
        }
        output.flip();
        if (endsWithSyncTail()) {
            output.limit(output.limit() - SYNC_TAIL_LENGTH);
        } else if (!output.hasRemaining()) {
            // zlib had nothing to flush (an empty message): send the start of an empty stored block
            output.clear();
            output.put((byte) 0).flip();
        }
        return output;
    }

    private boolean endsWithSyncTail() {
        int end = output.limit();
        return end >= SYNC_TAIL_LENGTH
                && output.get(end - 4) == 0 && output.get(end - 3) == 0
                && output.get(end - 2) == (byte) 0xFF && output.get(end - 1) == (byte) 0xFF;
    }

    /** Frees the native zlib memory at once; call when the connection ends. A pooled one holds none. */
    public void release() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }

    private void ensureRoom(int room) {
        if (output.remaining() < room) {
            ByteBuffer larger = ByteBuffer.allocate(output.position() + room);
            larger.put(output.flip());
            output = larger;
        }
    }
}

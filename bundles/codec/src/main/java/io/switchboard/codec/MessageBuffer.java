package io.switchboard.codec;

import java.nio.ByteBuffer;

/**
 * Where a message that does not arrive in one piece is put together: a buffer that grows on demand
 * but never past the message limit, and is reused from one message to the next. A buffer grown
 * large stays while messages keep coming, so that a stream of large messages allocates nothing per
 * message, until the owner calls {@link #trim()}.
 *
 * <p>The buffer is direct, like the read buffer whose views carry the messages that arrive whole:
 * a handler that sends an assembled message back (the echo) has it written to the socket from
 * where it lies, where a heap buffer would be copied to direct memory on its way out.
 */
final class MessageBuffer {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Kept by {@link #trim()}; a larger buffer is dropped. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final int maxSize;
    private ByteBuffer buffer = EMPTY;

    MessageBuffer(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Empties the buffer for a new message. */
    void clear() {
        buffer.clear();
    }

    /** Lets go of storage grown past {@value #RETAINED_CAPACITY} bytes. Not while a message is being put together. */
    void trim() {
        if (buffer.capacity() > RETAINED_CAPACITY) {
            buffer = EMPTY;
        }
    }

    int size() {
        return buffer.position();
    }

    int maxSize() {
        return maxSize;
    }

    /** The storage itself, for reading back bytes just appended (absolute indexes only). */
    ByteBuffer storage() {
        return buffer;
    }

    /**
     * Makes room for {@code wanted} more bytes, or as many as the limit still allows, and returns
     * the buffer with its position at the end of the message so far.
     */
    ByteBuffer room(int wanted) {
        if (buffer.remaining() >= wanted) {
            return buffer;
        }
        int size = buffer.position();
        int needed = (int) Math.min((long) size + wanted, maxSize);
        if (needed > buffer.capacity()) {
            int grown = (int) Math.min(Math.max(needed, 2L * buffer.capacity()), maxSize);
            ByteBuffer larger = ByteBuffer.allocateDirect(grown);
            larger.put(buffer.flip());
            buffer = larger;
        }
        buffer.limit(Math.min(buffer.capacity(), maxSize));
        return buffer;
    }

    /** Appends the remaining bytes of {@code source}; the caller has checked the limit. */
    void append(ByteBuffer source) {
        room(source.remaining()).put(source);
    }

    /** The message so far, as a buffer positioned at its start. */
    ByteBuffer contents() {
        return buffer.flip();
    }

    /** Lets go of the storage, for a connection that goes idle or away. */
    void release() {
        buffer = EMPTY;
    }
}

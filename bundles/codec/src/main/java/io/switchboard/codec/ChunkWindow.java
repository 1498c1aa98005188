package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable view of a range of someone else's buffer. Connections read into the same buffer
 * again and again, so the view is made once per source buffer and then only moved: handing out a
 * payload costs no allocation.
 */
final class ChunkWindow {
    private ByteBuffer source;
    /** Made by the first {@link #show}, so that a connection that never receives keeps none. */
    private ByteBuffer view;

    ByteBuffer show(ByteBuffer buffer, int from, int to) {
        if (buffer != source) {
            source = buffer;
            view = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        }
        view.limit(to).position(from);
        return view;
    }

    ByteBuffer view() {
        if (view == null) {
            view = ByteBuffer.allocate(0);
        }
        return view;
    }
}

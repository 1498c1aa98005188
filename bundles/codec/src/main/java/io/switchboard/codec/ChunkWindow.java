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
    private ByteBuffer view = ByteBuffer.allocate(0);

    ByteBuffer show(ByteBuffer buffer, int from, int to) {
        if (buffer != source) {
            source = buffer;
            view = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        }
        view.limit(to).position(from);
        return view;
    }

    ByteBuffer view() {
        return view;
    }
}

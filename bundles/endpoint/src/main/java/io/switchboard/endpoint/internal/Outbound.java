package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A connection's send queue and its flusher. Any thread may add frames; only the connection's
 * selector loop writes them, as many frames in one write as fit in one batch.
 *
 * <p>Control frames jump the queue, but only between two frames: a data frame that has been
 * partly written is always finished first. Every ping is answered while few pongs wait; past
 * {@link #MAX_QUEUED_PONGS} unsent pongs, further ones share a single slot in which the newest
 * replaces the older (RFC 6455 §5.5.3 allows answering only the most recent ping), so a ping
 * flood cannot grow the queue. The connection counts the bytes queued, which its water marks and
 * its hard cap bound.
 *
 * <p>A connection makes its queue only when a frame has to wait in one: messages sent from the
 * loop's own thread usually go out through the loop's output buffer instead.
 */
final class Outbound {
    private static final int MAX_FRAMES_PER_WRITE = 32;
    /** As much as the loop's output buffer holds: frames are written from there. */
    private static final long MAX_BYTES_PER_WRITE = LoopOutput.SIZE;
    static final int MAX_QUEUED_PONGS = 32;

    private static final VarHandle DATA_IN;
    private static final VarHandle CONTROL_IN;
    private static final VarHandle PONG;
    private static final VarHandle QUEUED_PONGS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DATA_IN = lookup.findVarHandle(Outbound.class, "dataIn", OutboundFrame.class);
            CONTROL_IN = lookup.findVarHandle(Outbound.class, "controlIn", OutboundFrame.class);
            PONG = lookup.findVarHandle(Outbound.class, "pong", OutboundFrame.class);
            QUEUED_PONGS = lookup.findVarHandle(Outbound.class, "queuedPongs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * Once made, a queue lives as long as its connection, most of it idle, so the queues are
     * intrusive (linked through OutboundFrame.next): an idle queue is this one object and nothing
     * else, and queuing a frame allocates nothing.
     */

    /** Frames other threads queued, newest first (a lock-free stack the loop takes whole). */
    private volatile OutboundFrame dataIn;
    private volatile OutboundFrame controlIn;
    /** The shared slot for pongs past the bound. */
    private volatile OutboundFrame pong;
    private volatile int queuedPongs;

    /** Set once the last frame the connection may send (Close or a final response) is written. */
    private boolean finished;

    /** Frames taken from the stacks, each kind in its order; touched by the loop thread only. */
    private OutboundFrame controlHead;
    private OutboundFrame controlTail;
    private OutboundFrame dataHead;
    private OutboundFrame dataTail;
    /**
     * A message sent in parts is under way in the write order: a whole message queued meanwhile (a
     * broadcast, or a send that raced the first part) waits in the held list for its last part.
     */
    private boolean partsOpen;
    private OutboundFrame heldHead;
    private OutboundFrame heldTail;
    /** How many entries of the gather array the current write uses (at most 2 * MAX_FRAMES_PER_WRITE). */
    private short gathered;

    /** Queues a message, the Close frame or an HTTP response behind everything queued before. */
    void addData(OutboundFrame frame) {
        push(DATA_IN, frame);
    }

    /** Queues a ping to go out before queued messages. */
    void addControl(OutboundFrame frame) {
        push(CONTROL_IN, frame);
    }

    private void push(VarHandle stack, OutboundFrame frame) {
        OutboundFrame top;
        do {
            top = (OutboundFrame) stack.getVolatile(this);
            frame.next = top;
        } while (!stack.compareAndSet(this, top, frame));
    }

    /** True when no frame or HTTP response is queued or being written. Loop thread only. */
    boolean hasNothingQueued() {
        return dataHead == null && dataIn == null && controlHead == null && controlIn == null && pong == null
                && !finished;
    }

    /**
     * Puts the unwritten rest of bytes already begun on the socket first in line; its bytes are
     * already counted. Loop thread only.
     */
    void addRest(OutboundFrame rest) {
        rest.next = dataHead;
        dataHead = rest;
        if (dataTail == null) {
            dataTail = rest;
        }
    }

    /**
     * Puts a frame after those already taken in write order (a rest just added, say), ahead of
     * what other threads queued meanwhile; its bytes are already counted. Loop thread only.
     */
    void addAfterRest(OutboundFrame frame) {
        if (dataTail == null) {
            dataHead = frame;
        } else {
            dataTail.next = frame;
        }
        dataTail = frame;
    }

    /**
     * Queues a pong ahead of messages; past the bound, it replaces the newest unsent one.
     *
     * @return by how many bytes the queue grew
     */
    long addPong(OutboundFrame frame) {
        if ((int) QUEUED_PONGS.getAndAdd(this, 1) + 1 <= MAX_QUEUED_PONGS) {
            addControl(frame);
            return frame.size;
        }
        QUEUED_PONGS.getAndAdd(this, -1);
        OutboundFrame replaced = (OutboundFrame) PONG.getAndSet(this, frame);
        return frame.size - (replaced == null ? 0 : replaced.size);
    }

    /**
     * Writes as much as the socket takes. The bytes written and then each fully written frame, in
     * order, are reported to {@code listener}.
     *
     * <p>Frames are copied into {@code out}, a direct buffer, and written from there in batches:
     * the socket is given one buffer, not a header and a payload per frame, and a large heap
     * payload is copied once, batch by batch, rather than whole into a temporary direct buffer on
     * every attempt (what a write of heap buffers does), however many attempts a slow peer needs.
     *
     * @return true if the queue is empty, false after a short write (the caller waits for
     *         {@code OP_WRITE})
     */
    boolean flush(ByteBuffer[] gather, ByteBuffer out, Listener listener) throws IOException {
        while (!finished && !hasNothingQueued()) {
            takeQueuedFrames();
            gatherInWriteOrder(gather);
            if (gathered == 0) {
                return true;
            }
            int copied = copy(gather, gathered, out.clear());
            int wrote;
            try {
                wrote = listener.write(out.flip());
            } finally {
                out.clear(); // the loop's buffer: empty again for whoever uses it next
            }
            advance(gather, gathered, wrote);
            Arrays.fill(gather, 0, gathered, null);
            listener.wrote(wrote);
            for (OutboundFrame frame; (frame = next()) != null && frame.written(); ) {
                remove(frame);
                finished = frame.kind == OutboundFrame.Kind.CLOSE || frame.kind == OutboundFrame.Kind.FINAL_RESPONSE;
                if (frame.done != null) {
                    SharedCompletion.settle(frame.done, null);
                }
                listener.written(frame);
                if (finished) {
                    failAll();
                    return true;
                }
            }
            if (wrote < copied) {
                return false;
            }
        }
        return true;
    }

    /** Copies the buffers' bytes, in order, as far as {@code out} has room; their positions stay. */
    private static int copy(ByteBuffer[] buffers, int count, ByteBuffer out) {
        for (int i = 0; i < count && out.hasRemaining(); i++) {
            ByteBuffer source = buffers[i];
            int length = Math.min(source.remaining(), out.remaining());
            out.put(out.position(), source, source.position(), length).position(out.position() + length);
        }
        return out.position();
    }

    /** Moves the buffers' positions past the {@code bytes} that were written from the copy. */
    private static void advance(ByteBuffer[] buffers, int count, long bytes) {
        for (int i = 0; i < count && bytes > 0; i++) {
            ByteBuffer source = buffers[i];
            int length = (int) Math.min(source.remaining(), bytes);
            source.position(source.position() + length);
            bytes -= length;
        }
    }

    /** Fails every frame still queued, for a connection that has ended. */
    void failAll() {
        takeQueuedFrames();
        releaseHeld();
        ClosedChannelException closed = null; // made only if someone waits: most connections end with nothing queued
        for (OutboundFrame frame; (frame = next()) != null; ) {
            remove(frame);
            if (frame.done != null) {
                if (closed == null) {
                    closed = new ClosedChannelException();
                }
                SharedCompletion.settle(frame.done, closed);
            }
        }
    }

    /** Moves what other threads queued to the loop's side, each kind in its order. */
    private void takeQueuedFrames() {
        OutboundFrame controls = reverse((OutboundFrame) CONTROL_IN.getAndSet(this, null));
        if (controls != null) {
            appendControl(controls);
        }
        queuedPongs = 0;
        OutboundFrame latestPong = (OutboundFrame) PONG.getAndSet(this, null);
        if (latestPong != null) {
            latestPong.next = null;
            appendControl(latestPong);
        }
        OutboundFrame datas = reverse((OutboundFrame) DATA_IN.getAndSet(this, null));
        while (datas != null) {
            OutboundFrame frame = datas;
            datas = frame.next;
            frame.next = null;
            if (partsOpen && frame.kind == OutboundFrame.Kind.FRAME) {
                heldTail = heldHead == null ? (heldHead = frame) : (heldTail.next = frame);
                continue;
            }
            addAfterRest(frame);
            if (frame.kind == OutboundFrame.Kind.PART) {
                partsOpen = true;
            } else if (frame.kind == OutboundFrame.Kind.LAST_PART) {
                releaseHeld();
            }
        }
    }

    /** The message sent in parts has ended (or the connection has): what waited for it follows. */
    private void releaseHeld() {
        partsOpen = false;
        if (heldHead != null) {
            if (dataHead == null) {
                dataHead = heldHead;
            } else {
                dataTail.next = heldHead;
            }
            dataTail = heldTail;
            heldHead = null;
            heldTail = null;
        }
    }

    private void appendControl(OutboundFrame frames) {
        if (controlHead == null) {
            controlHead = frames;
        } else {
            controlTail.next = frames;
        }
        controlTail = last(frames);
    }

    /** Turns a newest-first stack into an oldest-first list; returns its first frame. */
    private static OutboundFrame reverse(OutboundFrame top) {
        OutboundFrame reversed = null;
        while (top != null) {
            OutboundFrame below = top.next;
            top.next = reversed;
            reversed = top;
            top = below;
        }
        return reversed;
    }

    private static OutboundFrame last(OutboundFrame first) {
        OutboundFrame last = first;
        while (last.next != null) {
            last = last.next;
        }
        return last;
    }

    /**
     * The frame to write next: a data frame already begun, or the 101 response, else the oldest
     * control frame, else the oldest data frame.
     */
    private OutboundFrame next() {
        OutboundFrame data = dataHead;
        if (data != null && goesFirst(data)) {
            return data;
        }
        OutboundFrame control = controlHead;
        return control != null ? control : data;
    }

    /**
     * Frames are never interleaved, no frame may precede the 101 that makes them legal, and
     * nothing may cut into the rest of bytes begun elsewhere.
     */
    private static boolean goesFirst(OutboundFrame data) {
        return data.started() || data.kind == OutboundFrame.Kind.UPGRADE_RESPONSE || data.kind == OutboundFrame.Kind.REST;
    }

    private void remove(OutboundFrame frame) {
        if (frame == dataHead) {
            dataHead = frame.next;
            if (dataHead == null) {
                dataTail = null;
            }
        } else {
            controlHead = frame.next;
            if (controlHead == null) {
                controlTail = null;
            }
        }
        frame.next = null;
    }

    /** Fills {@code gather} with the buffers of the frames in {@link #next()} order, as many as one write takes. */
    private void gatherInWriteOrder(ByteBuffer[] gather) {
        gathered = 0;
        long bytes = 0;
        OutboundFrame begun = dataHead;
        if (begun != null && goesFirst(begun)) {
            bytes += gather(gather, begun);
        } else {
            begun = null;
        }
        for (OutboundFrame frame = controlHead; frame != null; frame = frame.next) {
            if (!hasRoom(gather, bytes)) {
                return;
            }
            bytes += gather(gather, frame);
        }
        for (OutboundFrame frame = dataHead; frame != null; frame = frame.next) {
            if (frame == begun) {
                continue;
            }
            if (!hasRoom(gather, bytes)) {
                return;
            }
            bytes += gather(gather, frame);
            if (frame.kind == OutboundFrame.Kind.CLOSE || frame.kind == OutboundFrame.Kind.FINAL_RESPONSE) {
                break; // nothing is written after these
            }
        }
    }

    private boolean hasRoom(ByteBuffer[] gather, long bytes) {
        return gathered + 2 <= gather.length && gathered < 2 * MAX_FRAMES_PER_WRITE && bytes < MAX_BYTES_PER_WRITE;
    }

    private long gather(ByteBuffer[] gather, OutboundFrame frame) {
        gather[gathered++] = frame.header;
        gather[gathered++] = frame.payload;
        return frame.header.remaining() + frame.payload.remaining();
    }

    /** Told of the bytes that go out, and of each frame once it is wholly written. */
    interface Listener {
        /** Writes to the socket, as far as it takes them. */
        int write(ByteBuffer bytes) throws IOException;

        void wrote(long bytes);

        void written(OutboundFrame frame);
    }
}

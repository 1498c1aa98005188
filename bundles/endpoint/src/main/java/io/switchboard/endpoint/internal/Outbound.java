package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection's send queue and its flusher. Any thread may add frames; only the connection's
 * selector loop writes them, with gathering writes of as many frames as fit in one batch.
 *
 * <p>Control frames jump the queue, but only between two frames: a data frame that has been
 * partly written is always finished first. Every ping is answered while few pongs wait; past
 * {@link #MAX_QUEUED_PONGS} unsent pongs, further ones share a single slot in which the newest
 * replaces the older (RFC 6455 §5.5.3 allows answering only the most recent ping), so a ping
 * flood cannot grow the queue. The queue is bounded in bytes: {@link #bufferedBytes()} is what
 * the connection compares with its water marks and its hard cap.
 */
final class Outbound {
    private static final int MAX_FRAMES_PER_WRITE = 32;
    private static final long MAX_BYTES_PER_WRITE = 256 * 1024;
    static final int MAX_QUEUED_PONGS = 32;

    private final ConcurrentLinkedQueue<OutboundFrame> data = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<OutboundFrame> control = new ConcurrentLinkedQueue<>();
    private final AtomicReference<OutboundFrame> pong = new AtomicReference<>();
    private final AtomicInteger queuedPongs = new AtomicInteger();
    private final AtomicLong buffered = new AtomicLong();
    private volatile long bytesWritten;

    /** Set once the last frame the connection may send (Close or a final response) is written. */
    private boolean finished;

    /** Frames taken from the queues, each kind in its order; touched by the loop thread only. */
    private final ArrayDeque<OutboundFrame> controlOut = new ArrayDeque<>();
    private final ArrayDeque<OutboundFrame> dataOut = new ArrayDeque<>();
    /** How many entries of the gather array the current write uses. */
    private int gathered;

    /** Queues a message, the Close frame or an HTTP response behind everything queued before. */
    long addData(OutboundFrame frame) {
        data.add(frame);
        return buffered.addAndGet(frame.size);
    }

    /** Queues a ping to go out before queued messages. */
    long addControl(OutboundFrame frame) {
        control.add(frame);
        return buffered.addAndGet(frame.size);
    }

    /** Queues a pong ahead of messages; past the bound, it replaces the newest unsent one. */
    void addPong(OutboundFrame frame) {
        if (queuedPongs.incrementAndGet() <= MAX_QUEUED_PONGS) {
            addControl(frame);
            return;
        }
        queuedPongs.decrementAndGet();
        OutboundFrame replaced = pong.getAndSet(frame);
        buffered.addAndGet(frame.size - (replaced == null ? 0 : replaced.size));
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long bufferedBytes() {
        return buffered.get();
    }

    boolean isEmpty() {
        return buffered.get() == 0;
    }

    /**
     * Writes as much as the socket takes. Each fully written frame is completed and reported to
     * {@code written}, in order.
     *
     * @return true if the queue is empty, false after a short write (the caller waits for
     *         {@code OP_WRITE})
     */
    boolean flush(GatheringByteChannel channel, ByteBuffer[] gather, FrameListener written) throws IOException {
        while (!finished) {
            takeQueuedFrames();
            long bytes = gatherInWriteOrder(gather);
            if (gathered == 0) {
                return true;
            }
            long wrote = channel.write(gather, 0, gathered);
            Arrays.fill(gather, 0, gathered, null);
            buffered.addAndGet(-wrote);
            bytesWritten += wrote;
            for (OutboundFrame frame; (frame = next()) != null && frame.written(); ) {
                remove(frame);
                finished = frame.kind == OutboundFrame.Kind.CLOSE || frame.kind == OutboundFrame.Kind.FINAL_RESPONSE;
                if (frame.done != null) {
                    frame.done.complete(null);
                }
                written.written(frame);
                if (finished) {
                    failAll();
                    return true;
                }
            }
            if (wrote < bytes) {
                return false;
            }
        }
        return true;
    }

    /** Fails every frame still queued, for a connection that has ended. */
    void failAll() {
        takeQueuedFrames();
        ClosedChannelException closed = new ClosedChannelException();
        for (OutboundFrame frame; (frame = next()) != null; ) {
            remove(frame);
            if (frame.done != null) {
                frame.done.completeExceptionally(closed);
            }
        }
        buffered.set(0);
    }

    /** Moves what other threads queued to the loop's side, each kind in its order. */
    private void takeQueuedFrames() {
        for (OutboundFrame frame; (frame = control.poll()) != null; ) {
            controlOut.add(frame);
        }
        queuedPongs.set(0);
        OutboundFrame latestPong = pong.getAndSet(null);
        if (latestPong != null) {
            controlOut.add(latestPong);
        }
        for (OutboundFrame frame; (frame = data.poll()) != null; ) {
            dataOut.add(frame);
        }
    }

    /**
     * The frame to write next: a data frame already begun, or the 101 response, else the oldest
     * control frame, else the oldest data frame.
     */
    private OutboundFrame next() {
        OutboundFrame data = dataOut.peekFirst();
        if (data != null && goesFirst(data)) {
            return data;
        }
        OutboundFrame control = controlOut.peekFirst();
        return control != null ? control : data;
    }

    /** Frames are never interleaved, and no frame may precede the 101 that makes them legal. */
    private static boolean goesFirst(OutboundFrame data) {
        return data.started() || data.kind == OutboundFrame.Kind.UPGRADE_RESPONSE;
    }

    private void remove(OutboundFrame frame) {
        if (frame == dataOut.peekFirst()) {
            dataOut.pollFirst();
        } else {
            controlOut.pollFirst();
        }
    }

    /** Fills {@code gather} with the buffers of the frames in {@link #next()} order; returns their bytes. */
    private long gatherInWriteOrder(ByteBuffer[] gather) {
        gathered = 0;
        long bytes = 0;
        OutboundFrame begun = dataOut.peekFirst();
        if (begun != null && goesFirst(begun)) {
            bytes += gather(gather, begun);
        } else {
            begun = null;
        }
        for (OutboundFrame frame : controlOut) {
            if (!hasRoom(gather, bytes)) {
                return bytes;
            }
            bytes += gather(gather, frame);
        }
        for (OutboundFrame frame : dataOut) {
            if (frame == begun) {
                continue;
            }
            if (!hasRoom(gather, bytes)) {
                return bytes;
            }
            bytes += gather(gather, frame);
            if (frame.kind == OutboundFrame.Kind.CLOSE || frame.kind == OutboundFrame.Kind.FINAL_RESPONSE) {
                break; // nothing is written after these
            }
        }
        return bytes;
    }

    private boolean hasRoom(ByteBuffer[] gather, long bytes) {
        return gathered + 2 <= gather.length && gathered < 2 * MAX_FRAMES_PER_WRITE && bytes < MAX_BYTES_PER_WRITE;
    }

    private long gather(ByteBuffer[] gather, OutboundFrame frame) {
        gather[gathered++] = frame.header;
        gather[gathered++] = frame.payload;
        return frame.header.remaining() + frame.payload.remaining();
    }

    /** Told of each frame once it is wholly written. */
    interface FrameListener {
        void written(OutboundFrame frame);
    }
}

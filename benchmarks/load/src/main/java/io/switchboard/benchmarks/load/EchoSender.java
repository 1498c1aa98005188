package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * One connection's output: the upgrade request, then batches of prepared frames, a pong or the
 * final close between batches (never inside a frame). It keeps the send time of every message in
 * flight, in a ring of {@code inFlight} slots: echoes come back in order, so the oldest slot
 * belongs to the next echo. Message n is the frame of slot n mod {@code inFlight} ({@link Traffic}).
 */
final class EchoSender {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final int frameLength;
    private final ByteBuffer frames;
    private final long[] sendTimes;
    private ByteBuffer request;
    private ByteBuffer pong;
    private ByteBuffer close;
    private int queued;
    private int nextSend;
    private int nextEcho;
    private int outstanding;

    EchoSender(Traffic traffic) {
        this.frameLength = traffic.frameLength;
        this.frames = traffic.framesView();
        this.sendTimes = new long[traffic.slots];
    }

    int inFlight() {
        return sendTimes.length;
    }

    int outstanding() {
        return outstanding;
    }

    /** Whether one more message may be queued without having more than {@code inFlight} outstanding. */
    boolean hasRoom() {
        return outstanding + queued < sendTimes.length;
    }

    void sendRequest(byte[] bytes) {
        request = ByteBuffer.wrap(bytes);
    }

    /** Owes {@code messages} more messages; they go out in batches of at most {@code inFlight}. */
    void queue(int messages) {
        if (close == null) {
            queued += messages;
        }
    }

    /** A newer ping's pong replaces an older one not yet started. */
    void queuePong(byte[] frame) {
        if (pong == null || pong.position() == 0) {
            pong = ByteBuffer.wrap(frame);
        }
    }

    /** The close frame goes after the frame being written; no message follows it. */
    void queueClose(byte[] frame) {
        queued = 0;
        close = ByteBuffer.wrap(frame);
    }

    /** Whether a {@link #flush} has something to write. */
    boolean hasOutput() {
        return request != null && request.hasRemaining() || frames.hasRemaining() || pong != null
                || close != null && close.hasRemaining() || queued > 0;
    }

    /**
     * Writes until the socket is full or nothing is left: the request, the current batch, a pong,
     * the close, the next batch.
     *
     * @return true when everything was written, false when the socket is full
     */
    boolean flush(Transport transport) throws IOException {
        while (true) {
            ByteBuffer out = next();
            boolean written = transport.write(out);
            if (out == pong && !pong.hasRemaining()) {
                pong = null;
            }
            if (!written) {
                return false;
            }
            if (out == EMPTY) {
                return true;
            }
        }
    }

    private ByteBuffer next() {
        if (request != null && request.hasRemaining()) {
            return request;
        }
        if (frames.hasRemaining()) {
            return frames;
        }
        if (pong != null) {
            return pong;
        }
        if (close != null) {
            return close.hasRemaining() ? close : EMPTY;
        }
        if (queued > 0) {
            startBatch();
            return frames;
        }
        return EMPTY;
    }

    /** The next {@code min(queued, inFlight)} messages' frames become the current batch, stamped now. */
    private void startBatch() {
        int count = Math.min(queued, sendTimes.length);
        queued -= count;
        frames.limit((nextSend + count) * frameLength).position(nextSend * frameLength);
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            sendTimes[nextSend] = now;
            nextSend = nextSend + 1 == sendTimes.length ? 0 : nextSend + 1;
        }
        outstanding += count;
    }

    /** Records the round trips of {@code count} echoes completed at {@code now}. */
    void echoed(int count, long now, EchoStats stats) throws ProtocolException {
        if (count > outstanding) {
            throw new ProtocolException("more echoes than messages sent");
        }
        for (int i = 0; i < count; i++) {
            stats.record(now - sendTimes[nextEcho]);
            nextEcho = nextEcho + 1 == sendTimes.length ? 0 : nextEcho + 1;
        }
        outstanding -= count;
    }
}

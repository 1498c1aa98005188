package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * One fan-out subscriber's frames: every message must be binary, of the published size, and the
 * next in sequence — each message exactly once, in order. A message starts with a
 * {@value #HEADER}-byte header, its sequence number and the publisher's {@code nanoTime} at
 * publishing (same process, same clock), then the run's fixed payload, which is checked in full
 * on the first message and on every {@value #VERIFY_EVERY}th.
 */
final class FanOutReceiver implements Receiver {
    /** Sequence number (8 bytes) and publish time (8 bytes), big-endian. */
    static final int HEADER = 16;
    static final int VERIFY_EVERY = 1024;

    private final int subscriber;
    private final byte[] payload;
    private final Deliveries deliveries;

    private int frameOpcode;
    private boolean frameFin;
    private boolean inMessage;
    private boolean verifying;
    private long messageLength;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private long nextSeq;

    private final ControlFrames control = new ControlFrames();

    /** @param payload what every message carries after its header (the bytes from {@value #HEADER} on) */
    FanOutReceiver(int subscriber, byte[] payload, Deliveries deliveries) {
        this.subscriber = subscriber;
        this.payload = payload;
        this.deliveries = deliveries;
    }

    @Override
    public void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey)
            throws ProtocolException {
        frameOpcode = opcode;
        frameFin = fin;
        if (rsv1) {
            throw new ProtocolException(at() + "RSV1 set without permessage-deflate");
        }
        switch (opcode) {
            case ClientFrames.OPCODE_BINARY -> {
                if (inMessage) {
                    throw new ProtocolException(at() + "a new message started before the previous one ended");
                }
                inMessage = true;
                messageLength = 0;
                header.clear();
                verifying = (nextSeq & (VERIFY_EVERY - 1)) == 0;
            }
            case ClientFrames.OPCODE_CONTINUATION -> {
                if (!inMessage) {
                    throw new ProtocolException(at() + "continuation frame without a message to continue");
                }
            }
            case ClientFrames.OPCODE_TEXT -> throw new ProtocolException(at() + "a text message; the publisher sends binary");
            default -> control.start();
        }
    }

    @Override
    public void payload(ByteBuffer in, int from, int length, long frameOffset) throws ProtocolException {
        if (frameOpcode >= ClientFrames.OPCODE_CLOSE) {
            for (int i = 0; i < length; i++) {
                control.add(in.get(from + i));
            }
            return;
        }
        if (messageLength + length > payload.length) {
            throw new ProtocolException(at() + "a message longer than the " + payload.length + " bytes published");
        }
        int i = 0;
        for (; i < length && header.hasRemaining(); i++) {
            header.put(in.get(from + i));
        }
        if (verifying) {
            for (; i < length; i++) {
                if (in.get(from + i) != payload[(int) messageLength + i]) {
                    throw new ProtocolException(at() + "message " + nextSeq + " differs from what was published at byte "
                            + (messageLength + i));
                }
            }
        }
        messageLength += length;
    }

    @Override
    public void frameEnd() throws ProtocolException {
        if (frameOpcode >= ClientFrames.OPCODE_CLOSE) {
            control.end(frameOpcode);
        } else if (frameFin) {
            endMessage();
        }
    }

    private void endMessage() throws ProtocolException {
        if (messageLength != payload.length) {
            throw new ProtocolException(at() + messageLength + " bytes received, " + payload.length + " published");
        }
        long seq = header.getLong(0);
        if (seq != nextSeq) {
            throw new ProtocolException(at() + "message " + seq + " arrived where " + nextSeq
                    + " was due (lost, repeated or out of order)");
        }
        long now = System.nanoTime();
        inMessage = false;
        nextSeq++;
        deliveries.delivered(seq, now - header.getLong(8), now);
    }

    private String at() {
        return "subscriber " + subscriber + ": ";
    }

    @Override
    public ControlFrames control() {
        return control;
    }

    @Override
    public long messages() {
        return nextSeq;
    }
}

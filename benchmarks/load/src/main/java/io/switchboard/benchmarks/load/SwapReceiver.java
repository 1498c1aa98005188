package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * One S7 connection's echoes: message n must come back as the n-th message, equal byte for byte
 * to what was sent (each slot's message differs, {@link Traffic}), so an echo that is lost,
 * repeated, out of order or altered fails the connection. It keeps the send time of every message
 * in flight, told by the pacer through {@link #sent}, and reports each answer's delay to
 * {@link SwapPauses}. Selector thread only.
 */
final class SwapReceiver implements Receiver {
    private final int connection;
    private final Traffic traffic;
    private final SwapPauses pauses;
    private final long[] sendTimes;
    private long sent;
    private long answered;

    private int frameOpcode;
    private boolean frameFin;
    private boolean inMessage;
    private byte[] expected;
    private int messageLength;
    private int completed;

    private final ControlFrames control = new ControlFrames();

    SwapReceiver(int connection, Traffic traffic, SwapPauses pauses) {
        this.connection = connection;
        this.traffic = traffic;
        this.pauses = pauses;
        this.sendTimes = new long[traffic.slots];
    }

    /** The next message went out at {@code nanoTime}; at most {@code slots} may be unanswered. */
    void sent(long nanoTime) {
        if (sent - answered == sendTimes.length) {
            throw new IllegalStateException("connection " + connection + " has " + sendTimes.length + " messages unanswered");
        }
        sendTimes[slot(sent)] = nanoTime;
        sent++;
    }

    long sentCount() {
        return sent;
    }

    long unanswered() {
        return sent - answered;
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
            case ClientFrames.OPCODE_TEXT, ClientFrames.OPCODE_BINARY -> startMessage(opcode);
            case ClientFrames.OPCODE_CONTINUATION -> {
                if (!inMessage) {
                    throw new ProtocolException(at() + "continuation frame without a message to continue");
                }
            }
            default -> control.start();
        }
    }

    private void startMessage(int opcode) throws ProtocolException {
        if (inMessage) {
            throw new ProtocolException(at() + "a new message started before the previous one ended");
        }
        if (opcode != traffic.opcode) {
            throw new ProtocolException(at() + "echo " + answered + " has opcode " + opcode + ", " + traffic.opcode + " was sent");
        }
        if (answered == sent) {
            throw new ProtocolException(at() + "an echo came with no message unanswered (" + sent + " sent)");
        }
        inMessage = true;
        messageLength = 0;
        expected = traffic.payload(slot(answered));
    }

    @Override
    public void payload(ByteBuffer in, int from, int length, long frameOffset) throws ProtocolException {
        if (frameOpcode >= ClientFrames.OPCODE_CLOSE) {
            for (int i = 0; i < length; i++) {
                control.add(in.get(from + i));
            }
            return;
        }
        if (messageLength + length > expected.length) {
            throw new ProtocolException(at() + "echo " + answered + " is longer than the " + expected.length + " bytes sent");
        }
        for (int i = 0; i < length; i++) {
            if (in.get(from + i) != expected[messageLength + i]) {
                throw new ProtocolException(at() + "echo " + answered + " differs from message " + answered + " at byte "
                        + (messageLength + i) + " (lost, repeated, out of order or altered)");
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
        if (messageLength != expected.length) {
            throw new ProtocolException(at() + "echo " + answered + " has " + messageLength + " bytes, " + expected.length + " were sent");
        }
        pauses.answered(connection, sendTimes[slot(answered)], System.nanoTime());
        inMessage = false;
        answered++;
        completed++;
    }

    private int slot(long message) {
        return (int) (message % sendTimes.length);
    }

    private String at() {
        return "connection " + connection + ": ";
    }

    @Override
    public int takeCompleted() {
        int n = completed;
        completed = 0;
        return n;
    }

    @Override
    public ControlFrames control() {
        return control;
    }

    @Override
    public long messages() {
        return answered;
    }
}

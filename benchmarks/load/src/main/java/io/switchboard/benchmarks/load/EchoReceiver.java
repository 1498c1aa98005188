package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Turns one connection's frames into echoed messages: counts each message when its final frame
 * arrives, checks the message rules (continuations, RSV1 only with permessage-deflate, the type
 * that was sent), verifies a sample of echoes, and keeps the latest ping and any close.
 */
final class EchoReceiver implements Receiver {
    /** After the first echo, every this-many-th echo of a connection is verified (a power of two). */
    static final int VERIFY_EVERY = 1024;

    private final int opcodeSent;
    private final boolean deflate;
    private final int sizeSent;
    private final EchoVerifier verifier;

    private int frameOpcode;
    private boolean frameFin;
    private boolean frameMasked;
    private int frameMaskKey;

    private boolean inMessage;
    private boolean messageCompressed;
    private boolean verifying;
    private long messageLength;
    private long messagesEchoed;
    private int completed;
    private long uncompressedEchoes;

    private final ControlFrames control = new ControlFrames();

    EchoReceiver(Traffic traffic) {
        this.opcodeSent = traffic.opcode;
        this.deflate = traffic.compressed;
        this.sizeSent = traffic.payload.length;
        this.verifier = new EchoVerifier(traffic.payload);
    }

    @Override
    public void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey)
            throws ProtocolException {
        frameOpcode = opcode;
        frameFin = fin;
        frameMasked = masked;
        frameMaskKey = maskKey;
        switch (opcode) {
            case ClientFrames.OPCODE_TEXT, ClientFrames.OPCODE_BINARY -> startMessage(opcode, rsv1);
            case ClientFrames.OPCODE_CONTINUATION -> {
                if (!inMessage) {
                    throw new ProtocolException("continuation frame without a message to continue");
                }
                if (rsv1) {
                    throw new ProtocolException("RSV1 on a continuation frame");
                }
            }
            default -> control.start();
        }
    }

    private void startMessage(int opcode, boolean rsv1) throws ProtocolException {
        if (inMessage) {
            throw new ProtocolException("a new message started before the previous one ended");
        }
        if (opcode != opcodeSent) {
            throw new ProtocolException("echo mismatch: sent opcode " + opcodeSent + ", echoed opcode " + opcode);
        }
        if (rsv1 && !deflate) {
            throw new ProtocolException("RSV1 set without permessage-deflate");
        }
        inMessage = true;
        messageCompressed = rsv1;
        messageLength = 0;
        if (!rsv1 && deflate) {
            uncompressedEchoes++;
        }
        // A compressed echo after the first may depend on the server's earlier messages (the server
        // may keep its context), so only the first compressed one can be inflated on its own.
        verifying = messagesEchoed == 0 || !rsv1 && (messagesEchoed & (VERIFY_EVERY - 1)) == 0;
        if (verifying) {
            verifier.begin(rsv1);
        }
    }

    @Override
    public void payload(ByteBuffer in, int from, int length, long frameOffset) throws ProtocolException {
        if (frameOpcode < ClientFrames.OPCODE_CLOSE) {
            if (verifying) {
                verifier.payload(in, from, length, messageLength, frameMasked, frameMaskKey, frameOffset);
            }
            messageLength += length;
        } else {
            for (int i = 0; i < length; i++) {
                byte b = in.get(from + i);
                control.add(frameMasked ? (byte) (b ^ ClientFrames.maskByte(frameMaskKey, frameOffset + i)) : b);
            }
        }
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
        if (!messageCompressed && messageLength != sizeSent) {
            throw new ProtocolException("echo mismatch: " + messageLength + " bytes echoed, " + sizeSent + " sent");
        }
        if (verifying) {
            verifier.end(messageLength);
        }
        inMessage = false;
        messagesEchoed++;
        completed++;
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
        return messagesEchoed;
    }

    @Override
    public long uncompressedMessages() {
        return uncompressedEchoes;
    }
}

package io.switchboard.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, driven by the selector thread: connect, TLS handshake, upgrade, then the
 * echo loop (or, for a fan-out subscriber, only reading: its {@link Receiver} decides). Every read batch that completes k echoes records their round trips and sends k more
 * messages in one write, so each connection keeps exactly {@code inFlight} messages outstanding;
 * paced traffic (S7) instead sends one message per {@link #sendPaced} call, whatever came back.
 */
final class Connection implements EventLoop.Handler {
    private enum State { CONNECTING, TLS_HANDSHAKE, UPGRADING, OPEN, CLOSING, CLOSED }

    private static final byte[] NORMAL_CLOSURE = {0x03, (byte) 0xE8};

    final int id;
    private final SocketChannel channel;
    private final Transport transport;
    private final ConnectionEvents events;
    private final EchoStats stats;
    private final Traffic traffic;
    private final UpgradeRequest upgrade;
    private final boolean raw;
    private final FrameParser parser;
    private final Receiver receiver;
    private SelectionKey key;
    private State state = State.CONNECTING;

    private ResponseHeadReader headReader = new ResponseHeadReader();
    private final EchoSender sender;
    private boolean sending;
    private boolean paced;
    private boolean writeInterest;

    /** Handshake deadline while connecting; afterwards unused. */
    final long handshakeDeadline;
    private long lastProgress;

    Connection(int id, SocketChannel channel, Transport transport, UpgradeRequest upgrade, boolean raw,
            Traffic traffic, EchoStats stats, ConnectionEvents events, long handshakeDeadline, Receiver receiver) {
        this.id = id;
        this.channel = channel;
        this.transport = transport;
        this.upgrade = upgrade;
        this.raw = raw;
        this.traffic = traffic;
        this.stats = stats;
        this.events = events;
        this.handshakeDeadline = handshakeDeadline;
        this.parser = new FrameParser(raw);
        this.receiver = receiver;
        this.sender = new EchoSender(traffic);
    }

    void register(SelectionKey key, boolean connected, ByteBuffer scratch) {
        this.key = key;
        if (connected) {
            try {
                onConnected(scratch);
            } catch (IOException | RuntimeException e) {
                fail(describe(e));
            }
        }
    }

    @Override
    public void handle(int readyOps, ByteBuffer readBuffer) {
        try {
            switch (state) {
                case CONNECTING -> {
                    if (channel.finishConnect()) {
                        onConnected(readBuffer);
                    }
                }
                case TLS_HANDSHAKE -> continueTlsHandshake(readBuffer);
                case UPGRADING, OPEN, CLOSING -> {
                    if ((readyOps & SelectionKey.OP_READ) != 0) {
                        readAvailable(readBuffer);
                    }
                    if ((readyOps & SelectionKey.OP_WRITE) != 0 && state != State.CLOSED) {
                        flush();
                    }
                }
                case CLOSED -> {
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(describe(e));
        }
    }

    private void onConnected(ByteBuffer scratch) throws IOException {
        setInterest(SelectionKey.OP_READ);
        if (transport instanceof TlsTransport) {
            state = State.TLS_HANDSHAKE;
            continueTlsHandshake(scratch);
        } else {
            startUpgrade();
        }
    }

    private void continueTlsHandshake(ByteBuffer scratch) throws IOException {
        scratch.clear();
        if (transport.handshake(scratch)) {
            startUpgrade();
        } else {
            // The handshake waits either to write the rest of its output or for the server's reply.
            setInterest(SelectionKey.OP_READ | (transport.wantsWrite() ? SelectionKey.OP_WRITE : 0));
        }
    }

    private void startUpgrade() throws IOException {
        state = State.UPGRADING;
        sender.sendRequest(upgrade.bytes);
        writeInterest = false;
        setInterest(SelectionKey.OP_READ);
        flush();
    }

    private void readAvailable(ByteBuffer buffer) throws IOException {
        long now = 0;
        do {
            buffer.clear();
            int n = transport.read(buffer);
            if (n < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (n == 0) {
                continue;
            }
            if (now == 0) {
                now = System.nanoTime();
            }
            buffer.flip();
            if (state == State.UPGRADING) {
                if (!headReader.read(buffer)) {
                    continue;
                }
                onUpgraded(now);
            }
            parser.parse(buffer, receiver);
        } while (transport.readAgain() && state != State.CLOSED);
        if (now != 0) {
            afterRead(now);
        }
    }

    private void onUpgraded(long now) throws IOException {
        if (!raw) {
            upgrade.verify(headReader.parse());
        }
        headReader = null;
        state = State.OPEN;
        lastProgress = now;
        events.opened(this, now);
    }

    private void afterRead(long now) throws IOException {
        lastProgress = now;
        int echoed = receiver.takeCompleted();
        sender.echoed(echoed, now, stats);
        byte[] ping = receiver.takePing();
        if (ping != null && state == State.OPEN) {
            sender.queuePong(traffic.controlFrame(ClientFrames.OPCODE_PONG, ping, ping.length));
        }
        if (receiver.closeReceived()) {
            if (state == State.CLOSING) {
                closeChannel();
                events.closed(this);
                return;
            }
            throw new ProtocolException("the server sent a close frame, " + receiver.describeClose());
        }
        if (sending && !paced) {
            sender.queue(echoed);
        }
        if (!writeInterest && sender.hasOutput()) {
            flush();
        }
    }

    /** Starts the echo loop: {@code inFlight} messages in one write. */
    void startTraffic() {
        if (state != State.OPEN) {
            return;
        }
        sending = true;
        lastProgress = System.nanoTime();
        sender.queue(sender.inFlight());
        flushGuarded();
    }

    /** Starts paced traffic: nothing is sent now, and then one message per {@link #sendPaced}. */
    void startPacedTraffic() {
        if (state != State.OPEN) {
            return;
        }
        sending = true;
        paced = true;
        lastProgress = System.nanoTime();
    }

    /**
     * Sends the next message of paced traffic, unless the connection is not open or already has
     * {@code inFlight} messages outstanding.
     *
     * @return whether the message was queued (and written, unless the socket is full)
     */
    boolean sendPaced() {
        if (state != State.OPEN || !paced || !sender.hasRoom()) {
            return false;
        }
        sender.queue(1);
        flushGuarded();
        return true;
    }

    /** Sends no further message; those outstanding are still received. */
    void stopTraffic() {
        sending = false;
        paced = false;
    }

    /** Stops sending, sends a close frame after whatever is being written, and waits for the server's close. */
    void beginClose() {
        if (state != State.OPEN) {
            return;
        }
        sending = false;
        state = State.CLOSING;
        sender.queueClose(traffic.controlFrame(ClientFrames.OPCODE_CLOSE, NORMAL_CLOSURE, NORMAL_CLOSURE.length));
        flushGuarded();
    }

    private void flushGuarded() {
        if (writeInterest) {
            return;
        }
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            fail(describe(e));
        }
    }

    /** Writes what the sender has; a full socket turns on OP_WRITE until the rest is out. */
    private void flush() throws IOException {
        setWriteInterest(!sender.flush(transport));
    }

    private void setWriteInterest(boolean on) {
        if (on != writeInterest) {
            writeInterest = on;
            setInterest(SelectionKey.OP_READ | (on ? SelectionKey.OP_WRITE : 0));
        }
    }

    private void setInterest(int ops) {
        if (key.isValid()) {
            key.interestOps(ops);
        }
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    int outstanding() {
        return sender.outstanding();
    }

    long lastProgress() {
        return lastProgress;
    }

    long echoes() {
        return receiver.messages();
    }

    long uncompressedEchoes() {
        return receiver.uncompressedMessages();
    }

    /** Fails the connection (a handshake timeout, say); reported through {@link ConnectionEvents#failed}. */
    void fail(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        boolean closing = state == State.CLOSING;
        closeChannel();
        if (closing) {
            events.closed(this);
        } else {
            events.failed(this, wasOpen, reason);
        }
    }

    /** Closes the socket without a closing handshake. */
    void closeChannel() {
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort; the socket is gone either way.
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

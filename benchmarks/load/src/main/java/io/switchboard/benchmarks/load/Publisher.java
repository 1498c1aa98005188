package io.switchboard.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;

/**
 * The fan-out publisher: one plain connection to the server's publish path, driven by the selector
 * thread. It keeps the {@link Deliveries} window full: whenever messages complete, it publishes as
 * many new ones as the window has room for, in one write. Each message is the prepared masked frame
 * with its sequence number and publish time written (masked) into its first 16 payload bytes.
 * The server sends the publisher nothing; anything it does send fails the run.
 */
final class Publisher implements EventLoop.Handler {
    static final String PATH = "/publish";

    private enum State { CONNECTING, UPGRADING, OPEN, CLOSED }

    private final EventLoop loop;
    private final Deliveries deliveries;
    private final UpgradeRequest upgrade;
    private final byte[] frame;
    private final int payloadOffset;
    private final int maskKey;
    private final ByteBuffer out;
    private final ByteBuffer header = ByteBuffer.allocate(FanOutReceiver.HEADER);
    private ResponseHeadReader headReader = new ResponseHeadReader();
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.CONNECTING;
    private boolean publishing;

    Publisher(Options options, Traffic traffic, Deliveries deliveries, EventLoop loop, int window) {
        this.loop = loop;
        this.deliveries = deliveries;
        this.upgrade = new UpgradeRequest(PATH, options.host + ":" + options.port,
                UpgradeRequest.randomKey(new SplittableRandom()), false);
        this.maskKey = traffic.maskKey;
        this.frame = ClientFrames.frame(ClientFrames.OPCODE_BINARY, false, maskKey, traffic.payload);
        this.payloadOffset = ClientFrames.headerLength(traffic.payload.length);
        // Never more than the window unwritten, plus the request or the final close.
        this.out = ByteBuffer.allocate(upgrade.bytes.length + (window + 1) * frame.length);
        deliveries.onComplete(this::topUp);
    }

    /** Starts connecting from {@code local} to {@code server}; the upgrade follows on the selector thread. */
    void connect(InetSocketAddress local, InetSocketAddress server) throws IOException {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(local);
        boolean connected = channel.connect(server);
        key = channel.register(loop.selector(), connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
        if (connected) {
            startUpgrade();
        }
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Publishes from now on, as fast as the window lets it. */
    void start() {
        publishing = true;
        topUp();
    }

    /** Publishes nothing more; what is in flight still completes. */
    void stop() {
        publishing = false;
    }

    @Override
    public void handle(int readyOps, ByteBuffer readBuffer) {
        try {
            if (state == State.CONNECTING) {
                if (channel.finishConnect()) {
                    startUpgrade();
                }
                return;
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                read(readBuffer);
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && state != State.CLOSED) {
                flush();
            }
        } catch (IOException | RuntimeException e) {
            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void startUpgrade() throws IOException {
        state = State.UPGRADING;
        key.interestOps(SelectionKey.OP_READ);
        out.put(upgrade.bytes);
        flush();
    }

    private void read(ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
            throw new EOFException("the server closed the publisher's connection");
        }
        buffer.flip();
        if (state == State.UPGRADING && headReader.read(buffer)) {
            upgrade.verify(headReader.parse());
            headReader = null;
            state = State.OPEN;
        }
        if (state == State.OPEN && buffer.hasRemaining()) {
            throw new ProtocolException("the server sent the publisher " + buffer.remaining() + " bytes; it should send nothing");
        }
    }

    /** Publishes while the window has room, then writes them all at once. */
    private void topUp() {
        if (!publishing || state != State.OPEN) {
            return;
        }
        while (deliveries.canPublish()) {
            long now = System.nanoTime();
            long seq = deliveries.publish(now);
            int start = out.position();
            out.put(frame);
            header.clear();
            header.putLong(seq).putLong(now);
            for (int i = 0; i < FanOutReceiver.HEADER; i++) {
                out.put(start + payloadOffset + i, (byte) (header.get(i) ^ ClientFrames.maskByte(maskKey, i)));
            }
        }
        try {
            flush();
        } catch (IOException e) {
            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Writes what is pending; a full socket turns on OP_WRITE until the rest is out. */
    private void flush() throws IOException {
        out.flip();
        channel.write(out);
        boolean pending = out.hasRemaining();
        out.compact();
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | (pending ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** Sends a close frame if the socket takes it now, and closes; the subscribers' closes are the ones measured. */
    void close() {
        if (state == State.OPEN && out.position() == 0) {
            try {
                channel.write(ByteBuffer.wrap(ClientFrames.frame(ClientFrames.OPCODE_CLOSE, false, maskKey,
                        new byte[] {0x03, (byte) 0xE8})));
            } catch (IOException ignored) {
                // Closing is best effort; the socket is closed below either way.
            }
        }
        closeChannel();
    }

    private void fail(String reason) {
        closeChannel();
        loop.abort(new RunFailure("the publisher failed: " + reason));
    }

    private void closeChannel() {
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // The socket is gone either way.
        }
    }
}

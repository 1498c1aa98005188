package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket, with an {@link SSLEngine}: reads return plaintext, writes take
 * plaintext, and the TLS handshake, partial records and {@code close_notify} happen underneath,
 * on the selector thread, with no thread of its own.
 *
 * <p>Ciphertext the socket could not take yet stays in {@link #hasPendingOutput() pending
 * output}; the connection then waits for {@code OP_WRITE} and calls {@link #flushPending}.
 * While ciphertext is pending, writes accept no more plaintext, so the buffer stays one record.
 *
 * <p>It keeps its own socket: the {@link Transport} methods' socket parameter is for the plain
 * transport, which has no state of its own.
 */
final class TlsChannel implements Transport {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    /** Plaintext unwrapped but not yet handed to a reader (fill mode). */
    private ByteBuffer appIn;
    private boolean endOfInput;
    /** The socket half-closes once {@link #netOut} is flushed. */
    private boolean shutdownPending;

    TlsChannel(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    @Override
    public int read(SocketChannel ignored, ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                return handOver(dst);
            }
            if (stepHandshake() || (netIn.position() > 0 && unwrap())) {
                continue; // progress: see whether it produced plaintext
            }
            if (endOfInput) {
                return -1;
            }
            int read = socket.read(netIn);
            if (read < 0) {
                endOfInput = true;
            } else if (read == 0) {
                return 0;
            }
        }
    }

    @Override
    public int write(SocketChannel ignored, ByteBuffer source) throws IOException {
        if (!flushPending()) {
            return 0;
        }
        int consumed = 0;
        while (source.hasRemaining()) {
            if (handshaking()) {
                return consumed; // plaintext waits for the handshake; a later flush sends it
            }
            netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(source, netOut);
            } finally {
                netOut.flip();
            }
            consumed += result.bytesConsumed();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = grow(netOut.compact(), engine.getSession().getPacketBufferSize()).flip();
            }
            runTasks(result.getHandshakeStatus());
            if (!flushPending()) {
                return consumed;
            }
        }
        return consumed;
    }

    /** Writes pending ciphertext; true when none is left. */
    @Override
    public boolean flushPending(SocketChannel ignored) throws IOException {
        return flushPending();
    }

    private boolean flushPending() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        if (shutdownPending) {
            shutdownPending = false;
            socket.shutdownOutput();
        }
        return true;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** True when plaintext or ciphertext already read from the socket waits to be delivered. */
    @Override
    public boolean hasBufferedInput() {
        return appIn.position() > 0 || netIn.position() > 0;
    }

    /** True while the handshake waits for the peer's next message: writing must wait for a read. */
    @Override
    public boolean waitingForPeer() {
        return engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
    }

    /**
     * Sends {@code close_notify} and half-closes the socket: once the ciphertext before it has
     * gone out, which may take further {@link #flushPending} calls (a socket half-closed earlier
     * would cut off the last records, the Close frame among them).
     */
    @Override
    public void shutdownOutput(SocketChannel ignored) throws IOException {
        engine.closeOutbound();
        wrapHandshake();
        shutdownPending = true;
        flushPending();
    }

    @Override
    public boolean secure() {
        return true;
    }

    @Override
    public void close(SocketChannel ignored) throws IOException {
        try {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                wrapHandshake();
                flushPending(); // best effort: the socket closes whether or not it was taken
            }
        } catch (IOException e) {
            // closing anyway
        } finally {
            socket.close();
        }
    }

    /** Runs the handshake's tasks and sends its messages when it wants that; true if it did. */
    private boolean stepHandshake() throws IOException {
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status != HandshakeStatus.NEED_TASK && status != HandshakeStatus.NEED_WRAP) {
            return false;
        }
        runTasks(status);
        wrapHandshake();
        flushPending();
        return engine.getHandshakeStatus() != status;
    }

    /**
     * Unwraps one record of what the socket delivered.
     *
     * @return true if that made progress, so it is worth trying again before reading the socket
     */
    private boolean unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                }
                return false; // the record is incomplete: read more
            }
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            }
            case CLOSED -> {
                endOfInput = true; // the peer's close_notify
                return false;
            }
            default -> {
                runTasks(result.getHandshakeStatus());
                return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
            }
        }
    }

    /** Produces the handshake messages (or the close_notify) the engine wants to send. */
    private void wrapHandshake() throws SSLException {
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(NOTHING, netOut);
            } finally {
                netOut.flip();
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = grow(netOut.compact(), engine.getSession().getPacketBufferSize()).flip();
                continue;
            }
            runTasks(result.getHandshakeStatus());
            if (result.getStatus() == SSLEngineResult.Status.CLOSED || result.bytesProduced() == 0) {
                break;
            }
        }
    }

    /** Key exchange computations: short, run here rather than handed to another thread. */
    private void runTasks(HandshakeStatus status) {
        if (status == HandshakeStatus.NEED_TASK) {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
            }
        }
    }

    /** True while the handshake still needs the peer: plaintext cannot go out yet. */
    private boolean handshaking() throws IOException {
        stepHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    /** Moves plaintext to the reader; what does not fit stays for the next read. */
    private int handOver(ByteBuffer dst) {
        appIn.flip();
        int count = Math.min(appIn.remaining(), dst.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return count;
    }

    /** A larger buffer in fill mode with the contents of {@code buffer} (fill mode). */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + atLeast));
        return larger.put(buffer.flip());
    }
}

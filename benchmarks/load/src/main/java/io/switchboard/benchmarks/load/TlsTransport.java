package io.switchboard.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with one {@link SSLEngine}. {@code netIn} holds received records
 * not yet unwrapped (write mode); {@code netOut} holds wrapped records not yet written (read mode).
 * A record split across reads waits in {@code netIn} (BUFFER_UNDERFLOW); a short write leaves the
 * rest in {@code netOut} for the next call.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final int packetSize;
    private final int applicationSize;
    private ByteBuffer netIn;
    private final ByteBuffer netOut;
    private boolean readAgain;
    private boolean closed;

    /**
     * @param records how many TLS records the network buffers hold: more records per system call
     *     for bulk transfers, less memory for many connections
     */
    TlsTransport(SocketChannel channel, SSLEngine engine, int records) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.applicationSize = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize * records);
        this.netOut = ByteBuffer.allocate(packetSize * records).flip();
        engine.beginHandshake();
    }

    @Override
    public boolean handshake(ByteBuffer scratch) throws IOException {
        while (true) {
            if (!flushNetOut()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return true;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    netIn.flip();
                    SSLEngineResult result = engine.unwrap(netIn, scratch);
                    netIn.compact();
                    if (result.bytesProduced() > 0) {
                        throw new SSLException("application data during the TLS handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new EOFException("the server closed TLS during the handshake");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        growNetInIfFull();
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new EOFException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
            }
        }
    }

    @Override
    public boolean wantsWrite() {
        return netOut.hasRemaining();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = closed ? -1 : channel.read(netIn);
        boolean filled = n > 0 && !netIn.hasRemaining();
        int produced = unwrap(dst);
        if (n < 0 || closed) {
            // Hand over what was decrypted first; the next call reports the end.
            readAgain = produced > 0;
            closed = true;
            return produced > 0 ? produced : -1;
        }
        readAgain |= filled;
        return produced;
    }

    /** Unwraps whole records from netIn while dst has room for one; sets readAgain if it stopped for room. */
    private int unwrap(ByteBuffer dst) throws IOException {
        int produced = 0;
        boolean underflow = false;
        readAgain = false;
        netIn.flip();
        try {
            while (netIn.hasRemaining()) {
                if (dst.remaining() < applicationSize) {
                    readAgain = true;
                    break;
                }
                SSLEngineResult result = engine.unwrap(netIn, dst);
                produced += result.bytesProduced();
                afterEngineStep(result.getHandshakeStatus());
                SSLEngineResult.Status status = result.getStatus();
                if (status == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (status != SSLEngineResult.Status.OK
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    underflow = status == SSLEngineResult.Status.BUFFER_UNDERFLOW;
                    break;
                }
            }
        } finally {
            netIn.compact();
        }
        if (underflow) {
            growNetInIfFull();
        }
        return produced;
    }

    @Override
    public boolean readAgain() {
        return readAgain;
    }


    @Override
    public boolean write(ByteBuffer src) throws IOException {
        while (true) {
            if (!flushNetOut()) {
                return false;
            }
            if (!src.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return true;
            }
            wrap(src);
            if (!netOut.hasRemaining()) {
                throw new SSLException("TLS wrap made no progress: " + engine.getHandshakeStatus());
            }
        }
    }

    /** Wraps as many records of src as fit into the (empty) netOut. */
    private void wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        try {
            do {
                SSLEngineResult result = engine.wrap(src, netOut);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new EOFException("TLS is closed");
                }
                afterEngineStep(result.getHandshakeStatus());
                if (result.getStatus() != SSLEngineResult.Status.OK
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    break;
                }
            } while ((src.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)
                    && netOut.remaining() >= packetSize);
        } finally {
            netOut.flip();
        }
    }

    private boolean flushNetOut() throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    /**
     * Post-handshake messages (TLS 1.3 session tickets, key updates) may need a delegated task or a
     * reply; the reply goes out with the next write.
     */
    private void afterEngineStep(HandshakeStatus status) {
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A record larger than netIn (the peer's packet size can exceed ours) needs a larger buffer. */
    private void growNetInIfFull() {
        if (!netIn.hasRemaining()) {
            ByteBuffer larger = ByteBuffer.allocate(netIn.capacity() + packetSize);
            netIn.flip();
            larger.put(netIn);
            netIn = larger;
        }
    }
}

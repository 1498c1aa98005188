package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket, with an {@link SSLEngine}: reads return plaintext, writes take
 * plaintext, and the TLS handshake, partial records and {@code close_notify} happen underneath,
 * on the selector thread, with no thread of its own. <b>Loop thread only</b>, as its buffers' pool.
 *
 * <p>The engine's delegated tasks (the handshake's key exchange and signature, milliseconds each)
 * run on the endpoint's task executor, not on the loop, which serves its other connections
 * meanwhile. While they run the connection is {@link #computing()}: it reads nothing (reading is
 * paused) and writes nothing (it waits as for the peer); when they are done the loop takes it up
 * where it stopped ({@link ConnectionFlusher#tlsComputed}).
 *
 * <p>Its three buffers are borrowed from the loop's pool while they hold bytes and given back as
 * soon as they are empty, so an idle connection holds none (each is a TLS record, ~16.7 KB):
 * {@link #netIn} while a partial record waits for the rest, {@link #netOut} while ciphertext waits
 * for the socket, {@link #appIn} while decrypted bytes wait for a reader. Most reads need no
 * {@code appIn} at all: records are decrypted straight into the reader's buffer when it has room.
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
    /**
     * Empty buffers a loop keeps for its connections. A loop serves one connection at a time and a
     * connection needs at most three at once; the rest absorbs a turn in which several connections
     * each keep a partial record. Beyond that the garbage collector takes them: a loop of 10,000
     * busy connections must not keep their peak forever (16 × 16.7 KB = 267 KB per loop at most).
     */
    static final int POOL_BOUND = 16;

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final ArrayDeque<ByteBuffer> pool;
    /** Where delegated tasks run; null to run them here, on the loop. */
    private final Executor tasks;
    private final SelectorLoop loop;
    private SelectionKey key;
    private boolean computing;
    /** Ciphertext read, not yet unwrapped (fill mode); null when there is none. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped, not yet written (flush mode); null when there is none. */
    private ByteBuffer netOut;
    /** Plaintext unwrapped but not yet handed to a reader (fill mode); null when there is none. */
    private ByteBuffer appIn;
    private int packetSize;
    private int applicationSize;
    private boolean endOfInput;
    /** The socket half-closes once {@link #netOut} is flushed. */
    private boolean shutdownPending;

    /**
     * @param tasks where the engine's delegated tasks run, null for here
     * @param loop  the connection's loop, which hears when they are done; null only without tasks
     */
    TlsChannel(SocketChannel socket, SSLEngine engine, ArrayDeque<ByteBuffer> pool, Executor tasks, SelectorLoop loop) {
        this.socket = socket;
        this.engine = engine;
        this.pool = pool;
        this.tasks = tasks;
        this.loop = loop;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.applicationSize = engine.getSession().getApplicationBufferSize();
    }

    @Override
    public int read(SocketChannel ignored, ByteBuffer dst) throws IOException {
        int start = dst.position();
        try {
            while (true) {
                if (computing) {
                    return dst.position() - start; // tlsComputed reads on
                }
                if (appIn != null && appIn.position() > 0) {
                    handOver(dst);
                    return dst.position() - start;
                }
                if (stepHandshake()) {
                    continue; // it sent or computed something: see whether unwrapping can go on
                }
                // A record goes straight into dst while it has room for one; more come next read.
                boolean room = dst.position() == start || dst.remaining() >= applicationSize;
                if (netIn != null && netIn.position() > 0 && room && unwrap(dst)) {
                    continue;
                }
                if (dst.position() > start) {
                    return dst.position() - start;
                }
                if (endOfInput) {
                    return -1;
                }
                if (netIn == null) {
                    netIn = borrow(packetSize);
                }
                int read = socket.read(netIn);
                if (read < 0) {
                    endOfInput = true;
                } else if (read == 0) {
                    return 0;
                }
            }
        } finally {
            if (netIn != null && netIn.position() == 0) {
                netIn = giveBack(netIn); // no partial record kept
            }
            if (appIn != null && appIn.position() == 0) {
                appIn = giveBack(appIn);
            }
        }
    }

    @Override
    public int write(SocketChannel ignored, ByteBuffer source) throws IOException {
        if (computing || !flushPending()) {
            return 0;
        }
        int consumed = 0;
        while (source.hasRemaining()) {
            if (handshaking()) {
                return consumed; // plaintext waits for the handshake; a later flush sends it
            }
            SSLEngineResult result = wrap(source);
            consumed += result.bytesConsumed();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            runTasks(result.getHandshakeStatus());
            if (computing || !flushPending()) {
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

    /** Writes pending ciphertext, then gives its buffer back; true when none is left. */
    private boolean flushPending() throws IOException {
        if (netOut != null) {
            while (netOut.hasRemaining()) {
                if (socket.write(netOut) == 0) {
                    return false;
                }
            }
            netOut = giveBack(netOut);
        }
        if (shutdownPending) {
            shutdownPending = false;
            socket.shutdownOutput();
        }
        return true;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut != null && netOut.hasRemaining();
    }

    /** True when plaintext or ciphertext already read from the socket waits to be delivered. */
    @Override
    public boolean hasBufferedInput() {
        return (appIn != null && appIn.position() > 0) || (netIn != null && netIn.position() > 0);
    }

    /** Whether it has a buffer of the pool's lent: none while idle. */
    boolean holdsBuffers() {
        return netIn != null || netOut != null || appIn != null;
    }

    /** True while the handshake waits for the peer's next message or for its tasks: writing must wait. */
    @Override
    public boolean waitingForPeer() {
        return computing || engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
    }

    @Override
    public void register(SelectionKey key) {
        this.key = key;
    }

    @Override
    public boolean computing() {
        return computing;
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
            netIn = netOut = appIn = null; // what was lent goes to the garbage collector with the rest
        }
    }

    /** Runs the handshake's tasks and sends its messages when it wants that; true if it did. */
    private boolean stepHandshake() throws IOException {
        HandshakeStatus status = engine.getHandshakeStatus();
        if (computing || status != HandshakeStatus.NEED_TASK && status != HandshakeStatus.NEED_WRAP) {
            return false;
        }
        runTasks(status);
        if (computing) {
            return true; // the loop goes on with it once the tasks are done
        }
        wrapHandshake();
        flushPending();
        return engine.getHandshakeStatus() != status;
    }

    /**
     * Unwraps one record of what the socket delivered: into {@code dst} when nothing is waiting in
     * {@link #appIn} and {@code dst} has room for a record, else into {@code appIn}.
     *
     * @return true if that made progress, so it is worth trying again before reading the socket
     */
    private boolean unwrap(ByteBuffer dst) throws IOException {
        boolean direct = appIn == null && dst.remaining() >= applicationSize;
        if (!direct && appIn == null) {
            appIn = borrow(applicationSize);
        }
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, direct ? dst : appIn);
        } finally {
            netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                packetSize = engine.getSession().getPacketBufferSize();
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, packetSize);
                }
                return false; // the record is incomplete: read more
            }
            case BUFFER_OVERFLOW -> {
                applicationSize = engine.getSession().getApplicationBufferSize();
                // Into appIn next, larger than what was too small, so that unwrapping makes progress.
                appIn = direct ? borrow(Math.max(applicationSize, dst.remaining() + 1)) : grow(appIn, applicationSize);
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

    /** Wraps {@code source} into {@link #netOut}, borrowed if need be, grown when the engine wants more room. */
    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        while (true) {
            ByteBuffer out = netOut == null ? borrow(packetSize) : netOut.compact();
            SSLEngineResult result;
            try {
                result = engine.wrap(source, out);
            } finally {
                netOut = out.position() == 0 ? giveBack(out) : out.flip();
            }
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return result;
            }
            packetSize = engine.getSession().getPacketBufferSize();
            ByteBuffer larger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + packetSize));
            if (netOut != null) {
                larger.put(netOut);
            }
            netOut = larger.flip(); // empty or not, the next wrap fills it
        }
    }

    /** Produces the handshake messages (or the close_notify) the engine wants to send. */
    private void wrapHandshake() throws SSLException {
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = wrap(NOTHING);
            runTasks(result.getHandshakeStatus());
            if (computing || result.getStatus() == SSLEngineResult.Status.CLOSED || result.bytesProduced() == 0) {
                break;
            }
        }
    }

    /**
     * Runs the engine's delegated tasks: here if there is no executor, else on it, reading paused
     * until the loop hears they are done.
     */
    private void runTasks(HandshakeStatus status) {
        if (status != HandshakeStatus.NEED_TASK || computing) {
            return;
        }
        List<Runnable> due = new ArrayList<>(2);
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            due.add(task);
        }
        if (tasks != null && key != null) {
            try {
                tasks.execute(() -> {
                    try {
                        due.forEach(Runnable::run);
                    } finally {
                        loop.execute(this::computed); // runs after this turn: computing is set by then
                    }
                });
                computing = true;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                return;
            } catch (RejectedExecutionException stopping) {
                // the executor is shut down or full: run them here, as without one
            }
        }
        due.forEach(Runnable::run);
    }

    /** On the loop, once the tasks are done: the handshake's next messages out, then the connection goes on. */
    private void computed() {
        computing = false;
        if (!key.isValid()) {
            return; // closed meanwhile (a timeout, the endpoint stopping)
        }
        ConnectionFlusher connection = (ConnectionFlusher) key.attachment();
        try {
            wrapHandshake();
            flushPending();
        } catch (IOException e) {
            connection.closeChannel();
            return;
        }
        connection.tlsComputed();
    }

    /** True while the handshake still needs the peer: plaintext cannot go out yet. */
    private boolean handshaking() throws IOException {
        stepHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        return status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED;
    }

    /** Moves plaintext to the reader; what does not fit stays for the next read, the buffer goes back once empty. */
    private void handOver(ByteBuffer dst) {
        appIn.flip();
        int count = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), count).position(dst.position() + count);
        appIn.position(appIn.position() + count).compact();
        if (appIn.position() == 0) {
            appIn = giveBack(appIn);
        }
    }

    /** An empty buffer (fill mode) of at least {@code capacity} bytes, the pool's if it has one. */
    private ByteBuffer borrow(int capacity) {
        ByteBuffer buffer = pool.pollLast();
        return buffer != null && buffer.capacity() >= capacity ? buffer : ByteBuffer.allocate(capacity);
    }

    /** Returns {@code buffer} to the pool if it has room; null, for the field that held it. */
    private ByteBuffer giveBack(ByteBuffer buffer) {
        if (pool.size() < POOL_BOUND) {
            pool.addLast(buffer.clear());
        }
        return null;
    }

    /** A larger buffer in fill mode with the contents of {@code buffer} (fill mode). */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + atLeast));
        return larger.put(buffer.flip());
    }
}

package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.Deflater;

import io.switchboard.codec.ZlibPool;
import io.switchboard.endpoint.HandlerBinding;

/**
 * One selector thread and the connections it owns. Everything about a connection — reads,
 * handler callbacks (unless the handler blocks), writes, timers — happens on its loop's thread,
 * so connection state needs no locks; other threads reach a connection only through
 * {@link #execute(Runnable)} and its thread-safe send queue.
 *
 * <p>Each iteration: wait for readiness (or a task, or the next timer sweep), handle ready
 * connections, go on with the walks over all connections under way (a pass of a hot swap, the
 * timer sweep: a slice per turn) and run the queued tasks, then flush every connection that
 * queued output during the iteration — one write per connection per iteration, however many
 * messages its handler sent. Nothing a connection does may throw out of the loop: a failure ends that
 * connection only.
 */
final class SelectorLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());
    private static final int READ_BUFFER_SIZE = 64 * 1024;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long STOPPING_SELECT_MILLIS = 5;

    final Endpoint endpoint;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final List<WsConnection> dirty = new ArrayList<>();
    /** The loop's connections, and the walks over them under way. Loop thread only. */
    private final LoopConnections connections = new LoopConnections();

    /** Shared by every connection of the loop: reads are decoded before the next one starts. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final ByteBuffer[] gather = new ByteBuffer[64];
    private final LoopOutput output = new LoopOutput();
    private final LoopShares shares = new LoopShares();
    private final Text text = new Text();
    /** Empty TLS record buffers, lent to this loop's wss connections while they hold bytes (see TlsChannel). */
    private final ArrayDeque<ByteBuffer> tlsBuffers = new ArrayDeque<>();
    /**
     * zlib state lent per message to its connections without context takeover. Thread-safe, as a
     * send from another thread compresses on that thread; a few idle, since the loop uses one at
     * a time.
     */
    final ZlibPool zlib = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 4);
    /** Made once: the selector calls it for each ready key, with no iterator or set to allocate. */
    private final Consumer<SelectionKey> onReady = this::onReady;
    /**
     * Handler instances being let go of, or validating, while callbacks on them may still run: a
     * removal of their binding waits for them. Added on the loop, removed wherever the last
     * callback ends.
     */
    private final Set<Detachment> releasing = ConcurrentHashMap.newKeySet();
    /**
     * Bindings whose removal gave up waiting for this loop (a callback on it kept the loop busy past
     * the bound): messages for them are not delivered, and their connections close with 1011.
     */
    private volatile Set<HandlerBinding> revoked = Set.of();
    /** The connection whose inline callback runs now, if any. Loop thread only. */
    WsConnection calling;
    /** The listening socket's key, on the loop that accepts; null on the others. */
    private SelectionKey listening;

    private long now = System.nanoTime();
    /** {@link #now} was read before the last wait: the first ready key reads it again. */
    private boolean timeStale;
    private long nextSweep;
    private volatile boolean stopping;
    /** The loop's thread is done: tasks run on whoever submits them. */
    private volatile boolean ended;
    private long stopDeadline;

    SelectorLoop(Endpoint endpoint, int index) throws IOException {
        this.endpoint = endpoint;
        this.selector = Selector.open();
        this.thread = new Thread(this, "switchboard-loop-" + endpoint.name() + "-" + index);
        this.thread.setDaemon(false); // not inherited from the starting thread: a running server keeps the JVM alive
    }

    void start() {
        thread.start();
    }

    /**
     * Runs {@code task} on this loop's thread, soon; once the loop has ended, on the caller's
     * (what is left then is giving back, as a validate that outlived its server releases its handler).
     */
    void execute(Runnable task) {
        tasks.add(task);
        if (ended) {
            runTasks();
        } else if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The time of the current iteration, from {@link System#nanoTime()}. */
    long now() {
        return now;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    ByteBuffer[] gather() {
        return gather;
    }

    LoopOutput output() {
        return output;
    }

    LoopShares shares() {
        return shares;
    }

    Text text() {
        return text;
    }

    ArrayDeque<ByteBuffer> tlsBuffers() {
        return tlsBuffers;
    }

    Detachment track(Detachment detachment) {
        releasing.add(detachment);
        return detachment;
    }

    void untrack(Detachment detachment) {
        releasing.remove(detachment);
    }

    /** The tracked detachments from {@code binding}, now marked as seen by its removal. Loop thread only. */
    List<Detachment> detachmentsFrom(HandlerBinding binding) {
        List<Detachment> from = new ArrayList<>();
        for (Detachment detachment : releasing) {
            if (detachment.binding == binding) {
                detachment.bindingGone = true;
                from.add(detachment);
            }
        }
        return from;
    }

    /** Whether a removal of {@code binding} gave up on this loop, whose task for it has not run yet. */
    boolean revokes(HandlerBinding binding) {
        Set<HandlerBinding> gone = revoked;
        return !gone.isEmpty() && gone.contains(binding);
    }

    /** Marks {@code binding} revoked on this loop, or (with {@code on} false) no longer. Any thread. */
    synchronized void revoke(HandlerBinding binding, boolean on) {
        Set<HandlerBinding> next = new HashSet<>(revoked);
        if (on) {
            next.add(binding);
        } else {
            next.remove(binding);
        }
        revoked = Set.copyOf(next);
    }

    /** Makes this loop the one that accepts connections. Before {@link #start()}. */
    void listen(ServerSocketChannel listener) throws IOException {
        listening = listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Hands a freshly accepted socket to this loop from another loop. */
    void adopt(SocketChannel channel) {
        execute(() -> register(channel));
    }

    /** Asks for {@code connection} to be flushed at the end of this iteration. Loop thread only. */
    void flushSoon(WsConnection connection) {
        dirty.add(connection);
    }

    void forEachConnection(Consumer<WsConnection> action) {
        for (WsConnection connection : connections.snapshot()) {
            action.accept(connection);
        }
    }

    /** The loop's connections, for a walk over them. Loop thread only. */
    LoopConnections connections() {
        return connections;
    }

    /** Closes every connection with 1001, then ends the loop once they are gone or time is up. */
    void stop() {
        if (ended) {
            return; // stopped already
        }
        execute(() -> {
            stopping = true;
            stopDeadline = now + endpoint.settings().closeTimeout().toNanos();
            for (WsConnection connection : connections.snapshot()) {
                connection.goAway();
            }
        });
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        nextSweep = now + SWEEP_INTERVAL_NANOS;
        try {
            while (!stopping || (!selector.keys().isEmpty() && now - stopDeadline < 0)) {
                select();
                connections.continueWalks(now);
                runTasks();
                if (now - nextSweep >= 0) {
                    sweep();
                }
                flushDirty(); // last, so that what the sweep queued goes out now, not a sweep later
            }
        } catch (Throwable unexpected) {
            LOG.log(Level.ERROR, "selector loop " + thread.getName() + " failed", unexpected);
        } finally {
            for (WsConnection connection : connections.snapshot()) {
                connection.closeChannel();
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the selector", e);
            }
            ended = true;
            runTasks(); // those that came in before the flag was seen
            while (connections.walking()) {
                connections.continueWalks(now); // a pass under way ends, on connections closed by now
            }
            zlib.close();
        }
    }

    private void select() throws IOException {
        // Stopping, the loop ends as soon as its last connection has: it looks often rather than at the next sweep.
        long timeoutMillis = stopping ? STOPPING_SELECT_MILLIS : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - now));
        timeStale = true;
        if (tasks.isEmpty() && !connections.walking()) {
            selector.select(onReady, timeoutMillis);
        } else {
            selector.selectNow(onReady);
        }
        wakeupPending.set(false);
        now = System.nanoTime();
    }

    private void onReady(SelectionKey key) {
        if (timeStale) { // the first ready key after the wait: the handlers see the time it ended
            now = System.nanoTime();
            timeStale = false;
        }
        if (key == listening) {
            if (key.isValid() && !endpoint.acceptConnections(this) && key.isValid()) {
                key.interestOps(0); // accepting again at the next sweep
            }
            return;
        }
        WsConnection connection = (WsConnection) key.attachment();
        try {
            if (key.isValid() && key.isConnectable()) {
                connection.onConnectable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable();
            }
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
        } catch (Throwable failure) {
            LOG.log(Level.WARNING, "connection " + connection.id() + " failed", failure);
            connection.closeChannel();
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (Throwable failure) {
                LOG.log(Level.WARNING, "task on " + thread.getName() + " failed", failure);
            }
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            WsConnection connection = dirty.get(i);
            try {
                connection.flush();
            } catch (Throwable failure) {
                LOG.log(Level.WARNING, "connection " + connection.id() + " failed", failure);
                connection.closeChannel();
            }
        }
        dirty.clear();
        shares.clear();
    }

    private void sweep() {
        nextSweep = now + SWEEP_INTERVAL_NANOS;
        if (listening != null && listening.isValid()) {
            listening.interestOps(SelectionKey.OP_ACCEPT);
        }
        connections.startSweep(); // a slice per turn from the next one on
    }

    /** Takes a freshly accepted socket. Loop thread only. */
    void register(SocketChannel channel) {
        if (stopping) {
            closeQuietly(channel);
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            WsConnection connection = new WsConnection(this, channel);
            connection.register(channel.register(selector, SelectionKey.OP_READ, connection));
            connections.add(connection);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "could not register an accepted socket", e);
            closeQuietly(channel);
        }
    }

    /** Connects an outbound socket for {@code opening}, which then runs on this loop. Loop thread only. */
    void connect(ClientOpening opening, SocketChannel channel, InetSocketAddress address) {
        try {
            if (stopping) {
                throw new IOException(this + " is stopping");
            }
            boolean connected = channel.connect(address);
            WsConnection connection = opening.connectionOn(this, channel);
            connection.register(channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, connection));
            connections.add(connection);
            if (connected) {
                connection.onConnectable(); // at once, as loopback may: no OP_CONNECT would ever come
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            opening.failed(e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is gone either way
        }
    }
}

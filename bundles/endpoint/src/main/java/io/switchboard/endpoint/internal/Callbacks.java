package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.ConnectionHandler;

/**
 * How a connection calls its handler: on the selector thread ({@link #INLINE}), or, for a handler
 * that may block, on the worker pool one callback at a time ({@link OnWorkers}). Either way the
 * callbacks of one connection never overlap and keep their order, a callback that throws closes
 * the connection with 1011, and a {@code setHandler} takes effect between two callbacks.
 *
 * <p>A callback goes to the handler named when it was submitted: a message decoded while the
 * connection was bound to a handler goes to that handler, even if the connection is detached
 * from it before the callback runs (the detachment waits for it: see {@link #afterPending}).
 * The connection's handler changes on the loop thread only: inline, right after the callback
 * that called {@code setHandler}; for a blocking handler, on the loop once the worker is done.
 */
abstract class Callbacks {
    /** One for every connection with a non-blocking handler: it keeps no state. */
    static final Callbacks INLINE = new Inline();
    /** The connection whose blocking callbacks this worker thread is running, if any. */
    private static final ThreadLocal<WsConnection> ON_WORKER = new ThreadLocal<>();

    /**
     * One of the handler's methods. The constants below capture nothing, so calling a handler
     * allocates nothing: the message path runs this for every message.
     */
    @FunctionalInterface
    interface Callback<T> {
        void call(ConnectionHandler handler, WsConnection connection, T argument);
    }

    static final Callback<Void> CONNECT = (h, c, none) -> h.connect(c);
    static final Callback<Void> ADOPT = (h, c, none) -> h.adopt(c);
    static final Callback<String> TEXT = (h, c, text) -> h.message(c, text);
    /** Its buffer is valid only during the call. */
    static final Callback<ByteBuffer> BINARY = (h, c, data) -> h.message(c, data);
    /** Parts of a message received in parts, and its last part: the buffers are valid only during the call. */
    static final Callback<String> TEXT_PART = (h, c, text) -> h.part(c, text, false);
    static final Callback<String> LAST_TEXT_PART = (h, c, text) -> h.part(c, text, true);
    static final Callback<ByteBuffer> BINARY_PART = (h, c, data) -> h.part(c, data, false);
    static final Callback<ByteBuffer> LAST_BINARY_PART = (h, c, data) -> h.part(c, data, true);
    /** Its buffer is valid only during the call. */
    static final Callback<ByteBuffer> PONG = (h, c, payload) -> h.pong(c, payload);
    static final Callback<Void> WRITABLE = (h, c, none) -> h.writable(c);
    static final Callback<CloseStatus> DISCONNECT = (h, c, status) -> h.disconnect(c, status);

    /** Calls {@code callback} on {@code handler}, now or in its turn. Loop thread only. */
    abstract <T> void call(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument);

    /**
     * Runs {@code task} once every callback already submitted has returned: at once if none is
     * pending, else on the thread that ran the last of them. Loop thread only.
     */
    abstract void afterPending(WsConnection connection, Runnable task);

    /** True when no callback is running or waiting, so the next message may be decoded. */
    abstract boolean idle();

    /** True when {@link #afterPending} would wait rather than run its task at once. Loop thread only. */
    abstract boolean deferring(WsConnection connection);

    /**
     * Drops the callbacks not yet run, and every later one: the handler they were for is gone and
     * must not be called again (one of them is stuck past the bound its removal waits). Any thread.
     */
    void abandon() {
    }

    /** The connection whose callbacks the calling thread is running, if any (a removal must not wait for it). */
    static WsConnection connectionOfThisThread() {
        return ON_WORKER.get();
    }

    /** Runs one callback and contains its failure. */
    static <T> void invoke(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument) {
        try {
            callback.call(handler, connection, argument);
        } catch (Throwable failure) {
            connection.callbackFailed(handler, failure);
        }
    }

    /** Callbacks on the selector thread, for handlers that never block. */
    private static final class Inline extends Callbacks {
        @Override
        <T> void call(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument) {
            SelectorLoop loop = connection.loop();
            WsConnection outer = loop.calling;
            loop.calling = connection;
            try {
                invoke(connection, handler, callback, argument);
            } finally {
                loop.calling = outer;
            }
            connection.applyHandoff(); // a setHandler the callback made: before the next message is decoded
        }

        @Override
        void afterPending(WsConnection connection, Runnable task) {
            SelectorLoop loop = connection.loop();
            if (isCalling(loop, connection)) {
                loop.execute(task); // asked from inside one of its own callbacks: after that one returns
            } else {
                task.run();
            }
        }

        private static boolean isCalling(SelectorLoop loop, WsConnection connection) {
            return loop.calling == connection;
        }

        @Override
        boolean deferring(WsConnection connection) {
            return isCalling(connection.loop(), connection);
        }

        @Override
        boolean idle() {
            return true;
        }
    }

    /**
     * Callbacks on the worker pool for handlers that may block. They run one at a time in
     * arrival order; while any is pending the connection decodes nothing more, so a slow handler
     * slows its own client down instead of growing a queue.
     *
     * <p>Submitted on the loop thread, run on workers: the queue is guarded by this object.
     */
    static final class OnWorkers extends Callbacks {
        private final WsConnection connection;
        private final Executor workers;
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        private boolean running;
        private boolean abandoned;

        OnWorkers(WsConnection connection, Executor workers) {
            this.connection = connection;
            this.workers = workers;
        }

        @Override
        @SuppressWarnings("unchecked")
        <T> void call(WsConnection caller, ConnectionHandler handler, Callback<T> callback, T argument) {
            // A buffer is valid only during the call, and the call comes later: keep a copy.
            T kept = argument instanceof ByteBuffer data ? (T) copy(data) : argument;
            submit(() -> invoke(connection, handler, callback, kept));
        }

        @Override
        void afterPending(WsConnection caller, Runnable task) {
            submit(task);
        }

        @Override
        synchronized boolean idle() {
            return !running && pending.isEmpty();
        }

        @Override
        boolean deferring(WsConnection caller) {
            return !idle();
        }

        @Override
        synchronized void abandon() {
            abandoned = true;
            pending.clear();
        }

        private synchronized void submit(Runnable callback) {
            if (abandoned) {
                return;
            }
            pending.add(callback);
            if (!running) {
                running = true;
                workers.execute(this::drain);
            }
        }

        private void drain() {
            ON_WORKER.set(connection);
            try {
                runPending();
            } finally {
                ON_WORKER.remove();
            }
            connection.runOnLoop(connection::resumeInput);
        }

        private void runPending() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = pending.poll();
                    if (next == null) {
                        running = false;
                        break;
                    }
                }
                try {
                    next.run(); // callbacks contain their own failures; this guards the pool thread
                } catch (Throwable unexpected) {
                    System.getLogger(Callbacks.class.getName())
                            .log(System.Logger.Level.ERROR, "a task of " + connection + " failed", unexpected);
                }
            }
        }

        private static ByteBuffer copy(ByteBuffer source) {
            return ByteBuffer.allocate(source.remaining()).put(source.duplicate()).flip();
        }
    }
}

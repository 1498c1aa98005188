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
 */
abstract class Callbacks {
    /** One for every connection with a non-blocking handler: it keeps no state. */
    static final Callbacks INLINE = new Inline();

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
    /** Its buffer is valid only during the call. */
    static final Callback<ByteBuffer> PONG = (h, c, payload) -> h.pong(c, payload);
    static final Callback<Void> WRITABLE = (h, c, none) -> h.writable(c);
    static final Callback<CloseStatus> DISCONNECT = (h, c, status) -> h.disconnect(c, status);

    /** Calls {@code callback} on the connection's handler, now or in its turn. */
    abstract <T> void call(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument);

    /** Applies a pending {@code setHandler} as soon as no callback is running. */
    abstract void handOff(WsConnection connection);

    /** Runs {@code task} once every callback already submitted has finished. */
    abstract void afterPending(Runnable task);

    /** True when no callback is running or waiting, so the next message may be decoded. */
    abstract boolean idle();

    /** Runs one callback, contains its failure, then applies any handoff it asked for. */
    static <T> void invoke(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument) {
        try {
            callback.call(handler, connection, argument);
        } catch (Throwable failure) {
            connection.callbackFailed(handler, failure);
        }
        adoptPendingHandler(connection);
    }

    static void adoptPendingHandler(WsConnection connection) {
        for (ConnectionHandler next; (next = connection.takeHandoff()) != null; ) {
            try {
                next.adopt(connection);
            } catch (Throwable failure) {
                connection.callbackFailed(next, failure);
            }
        }
    }

    /** Callbacks on the selector thread, for handlers that never block. */
    private static final class Inline extends Callbacks {
        @Override
        <T> void call(WsConnection connection, ConnectionHandler handler, Callback<T> callback, T argument) {
            invoke(connection, handler, callback, argument);
        }

        @Override
        void handOff(WsConnection connection) {
            adoptPendingHandler(connection);
        }

        @Override
        void afterPending(Runnable task) {
            task.run(); // inline callbacks are never pending outside the loop thread
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
     */
    static final class OnWorkers extends Callbacks {
        private final WsConnection connection;
        private final Executor workers;
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        private boolean running;

        OnWorkers(WsConnection connection, Executor workers) {
            this.connection = connection;
            this.workers = workers;
        }

        @Override
        @SuppressWarnings("unchecked")
        <T> void call(WsConnection caller, ConnectionHandler handler, Callback<T> callback, T argument) {
            // A buffer is valid only during the call, and the call comes later: keep a copy.
            T kept = argument instanceof ByteBuffer data ? (T) copy(data) : argument;
            // The handler when the callback runs: a handoff may come in between.
            submit(() -> invoke(connection, connection.handler(), callback, kept));
        }

        @Override
        void handOff(WsConnection caller) {
            submit(() -> adoptPendingHandler(connection));
        }

        @Override
        void afterPending(Runnable task) {
            submit(task);
        }

        @Override
        synchronized boolean idle() {
            return !running && pending.isEmpty();
        }

        private synchronized void submit(Runnable callback) {
            pending.add(callback);
            if (!running) {
                running = true;
                workers.execute(this::drain);
            }
        }

        private void drain() {
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
            connection.runOnLoop(connection::resumeInput);
        }

        private static ByteBuffer copy(ByteBuffer source) {
            return ByteBuffer.allocate(source.remaining()).put(source.duplicate()).flip();
        }
    }
}

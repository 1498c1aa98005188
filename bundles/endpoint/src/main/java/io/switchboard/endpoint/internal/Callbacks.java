package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.ConnectionHandler;

/**
 * How a connection calls its handler: on the selector thread ({@link Inline}), or, for a handler
 * that may block, on the worker pool one callback at a time ({@link OnWorkers}). Either way the
 * callbacks of one connection never overlap and keep their order, a callback that throws closes
 * the connection with 1011, and a {@code setHandler} takes effect between two callbacks.
 */
abstract class Callbacks {
    final WsConnection connection;

    Callbacks(WsConnection connection) {
        this.connection = connection;
    }

    abstract void connect(ConnectionHandler handler);

    abstract void text(ConnectionHandler handler, String text);

    /** The buffer is valid only during this call. */
    abstract void binary(ConnectionHandler handler, ByteBuffer data);

    /** The buffer is valid only during this call. */
    abstract void pong(ConnectionHandler handler, ByteBuffer payload);

    abstract void writable(ConnectionHandler handler);

    abstract void disconnect(ConnectionHandler handler, CloseStatus status);

    /** Applies a pending {@code setHandler} as soon as no callback is running. */
    abstract void handOff();

    /** The handler takes over a live connection. */
    abstract void adopt(ConnectionHandler handler);

    /** Runs {@code task} once every callback already submitted has finished. */
    abstract void afterPending(Runnable task);

    /** True when no callback is running or waiting, so the next message may be decoded. */
    abstract boolean idle();

    /** Runs one callback, contains its failure, then applies any handoff it asked for. */
    final void invoke(ConnectionHandler handler, Callback callback) {
        try {
            callback.call(handler);
        } catch (Throwable failure) {
            connection.callbackFailed(handler, failure);
        }
        adoptPendingHandler();
    }

    final void adoptPendingHandler() {
        for (ConnectionHandler next; (next = connection.takeHandoff()) != null; ) {
            try {
                next.adopt(connection);
            } catch (Throwable failure) {
                connection.callbackFailed(next, failure);
            }
        }
    }

    @FunctionalInterface
    interface Callback {
        void call(ConnectionHandler handler);
    }

    /** Callbacks on the selector thread, for handlers that never block. */
    static final class Inline extends Callbacks {
        Inline(WsConnection connection) {
            super(connection);
        }

        @Override
        void connect(ConnectionHandler handler) {
            invoke(handler, h -> h.connect(connection));
        }

        @Override
        void text(ConnectionHandler handler, String text) {
            invoke(handler, h -> h.message(connection, text));
        }

        @Override
        void binary(ConnectionHandler handler, ByteBuffer data) {
            invoke(handler, h -> h.message(connection, data));
        }

        @Override
        void pong(ConnectionHandler handler, ByteBuffer payload) {
            invoke(handler, h -> h.pong(connection, payload));
        }

        @Override
        void writable(ConnectionHandler handler) {
            invoke(handler, h -> h.writable(connection));
        }

        @Override
        void disconnect(ConnectionHandler handler, CloseStatus status) {
            invoke(handler, h -> h.disconnect(connection, status));
        }

        @Override
        void handOff() {
            adoptPendingHandler();
        }

        @Override
        void adopt(ConnectionHandler handler) {
            invoke(handler, h -> h.adopt(connection));
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
        private final Executor workers;
        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        private boolean running;

        OnWorkers(WsConnection connection, Executor workers) {
            super(connection);
            this.workers = workers;
        }

        @Override
        void connect(ConnectionHandler handler) {
            submit(() -> invoke(connection.handler(), h -> h.connect(connection)));
        }

        @Override
        void text(ConnectionHandler handler, String text) {
            submit(() -> invoke(connection.handler(), h -> h.message(connection, text)));
        }

        @Override
        void binary(ConnectionHandler handler, ByteBuffer data) {
            ByteBuffer copy = copy(data);
            submit(() -> invoke(connection.handler(), h -> h.message(connection, copy)));
        }

        @Override
        void pong(ConnectionHandler handler, ByteBuffer payload) {
            ByteBuffer copy = copy(payload);
            submit(() -> invoke(connection.handler(), h -> h.pong(connection, copy)));
        }

        @Override
        void writable(ConnectionHandler handler) {
            submit(() -> invoke(connection.handler(), h -> h.writable(connection)));
        }

        @Override
        void disconnect(ConnectionHandler handler, CloseStatus status) {
            submit(() -> invoke(connection.handler(), h -> h.disconnect(connection, status)));
        }

        @Override
        void handOff() {
            submit(this::adoptPendingHandler);
        }

        @Override
        void adopt(ConnectionHandler handler) {
            submit(() -> invoke(connection.handler(), h -> h.adopt(connection)));
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

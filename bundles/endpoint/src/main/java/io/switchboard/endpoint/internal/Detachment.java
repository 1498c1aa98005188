package io.switchboard.endpoint.internal;

import java.util.concurrent.CompletableFuture;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;

/**
 * A handler instance that a connection is letting go of, or still validating with, while callbacks
 * on it may be running: done once they have returned and the instance is released (or handed to
 * the opened connection). A removal of the binding waits for it, bounded; past the bound it
 * {@link #expire expires} it, and from then on the instance is the framework's: the connection
 * never calls it again and never releases it (the framework does, once the removal returns).
 *
 * <p>{@link #release} and {@link #handOn} run where the last callback ended (the loop or a
 * worker); {@link #expire} on the removing thread. One monitor decides which comes first.
 */
final class Detachment extends CompletableFuture<Void> {
    final HandlerBinding binding;
    private final ConnectionHandler instance;
    private final WsConnection connection;
    /** How the connection calls the handler (null during validate): abandoned on expiry. */
    private final Callbacks callbacks;
    private boolean settled;
    private boolean expired;
    /** A removal of {@link #binding} saw it: a validate still running ends in 503. Loop thread only. */
    boolean bindingGone;

    Detachment(HandlerBinding binding, ConnectionHandler instance, WsConnection connection, Callbacks callbacks) {
        this.binding = binding;
        this.instance = instance;
        this.connection = connection;
        this.callbacks = callbacks;
    }

    WsConnection connection() {
        return connection;
    }

    /** The callbacks have returned: gives the instance back, unless the removal gave up on it. */
    void release() {
        if (settle()) {
            WsConnection.release(binding, instance, connection);
            complete(null);
        }
    }

    /** Validate returned and accepted: the instance goes on with the open connection. False if it was given up. */
    boolean handOn() {
        if (settle()) {
            complete(null);
            return true;
        }
        return false;
    }

    private synchronized boolean settle() {
        if (expired) {
            return false;
        }
        settled = true;
        return true;
    }

    /**
     * The removal's bound passed. Unless the connection is settling right now, the handler is given
     * up: its queued callbacks are dropped and the connection ends (1011, or 503 in the handshake).
     *
     * @return false if the connection is settling: wait for this to complete
     */
    boolean expire() {
        synchronized (this) {
            if (settled) {
                return false;
            }
            expired = true;
        }
        if (callbacks != null) {
            callbacks.abandon();
        }
        connection.runOnLoop(() -> connection.handlerLost(binding));
        completeExceptionally(new IllegalStateException(binding + ": a callback did not return within the removal's bound"));
        return true;
    }
}

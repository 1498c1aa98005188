package io.switchboard.endpoint.limits;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;

/**
 * One handler instance of a {@link ProbeBinding}: echoes every text message back, and reports
 * every call to the {@link Ledger}; its binding may act on a message first (see
 * {@link ProbeBinding#beforeAnswer}).
 */
final class Probe implements ConnectionHandler {
    final ProbeBinding binding;
    private final int number;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean validating;

    Probe(ProbeBinding binding, int number) {
        this.binding = binding;
        this.number = number;
    }

    boolean released() {
        return released.get();
    }

    /** Marks the instance released; false if it was already. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    boolean validating() {
        return validating;
    }

    @Override
    public void validate(Handshake handshake) {
        if (binding.removalReturned() || released()) {
            binding.ledger.violation("validate on " + this + " after its removal returned or it was released");
        }
        validating = true;
        try {
            binding.validate();
        } finally {
            validating = false;
        }
    }

    private Ledger ledger() {
        return binding.ledger;
    }

    @Override
    public void connect(Connection connection) {
        ledger().enter(this, connection, "connect");
        ledger().told(this, connection);
        ledger().exit(connection);
    }

    @Override
    public void adopt(Connection connection) {
        ledger().enter(this, connection, "adopt");
        ledger().told(this, connection);
        for (long end = System.nanoTime() + binding.adoptNanos; System.nanoTime() - end < 0; ) {
            Thread.onSpinWait();
        }
        ledger().exit(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        ledger().enter(this, connection, "message " + text);
        try {
            ledger().message(this, connection, text);
            binding.beforeAnswer(connection, text);
            connection.send(text);
        } finally {
            ledger().exit(connection);
        }
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        ledger().enter(this, connection, "binary message");
        ledger().violation("a binary message reached " + this);
        ledger().exit(connection);
    }

    @Override
    public void writable(Connection connection) {
        ledger().enter(this, connection, "writable");
        ledger().exit(connection);
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        ledger().enter(this, connection, "disconnect " + status);
        ledger().disconnect(this, connection, status);
        ledger().exit(connection);
    }

    @Override
    public String toString() {
        return binding + "#" + number;
    }
}

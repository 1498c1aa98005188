package io.switchboard.whiteboard.internal;

import java.nio.ByteBuffer;
import java.util.List;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;

/**
 * A handler whose service lists the subprotocols it speaks: the first one the client offered is
 * selected before the handler's own {@code validate} runs, which may still change it.
 */
final class SubprotocolPreference implements ConnectionHandler {
    private final ConnectionHandler delegate;
    private final List<String> spoken;

    SubprotocolPreference(ConnectionHandler delegate, List<String> spoken) {
        this.delegate = delegate;
        this.spoken = spoken;
    }

    ConnectionHandler delegate() {
        return delegate;
    }

    @Override
    public void validate(Handshake handshake) {
        for (String offered : handshake.offeredSubprotocols()) {
            if (spoken.contains(offered)) {
                handshake.selectSubprotocol(offered);
                break;
            }
        }
        delegate.validate(handshake);
    }

    @Override
    public void connect(Connection connection) {
        delegate.connect(connection);
    }

    @Override
    public void adopt(Connection connection) {
        delegate.adopt(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        delegate.message(connection, text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        delegate.message(connection, data);
    }

    @Override
    public void pong(Connection connection, ByteBuffer payload) {
        delegate.pong(connection, payload);
    }

    @Override
    public void writable(Connection connection) {
        delegate.writable(connection);
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        delegate.disconnect(connection, status);
    }

    @Override
    public void failure(Connection connection, Throwable cause) {
        delegate.failure(connection, cause);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}

package io.switchboard.endpoint.interop;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;

/**
 * An echo handler that records what it is told: text goes back as text, binary as a copy (the
 * buffer it is given is the server's). The text {@link #FAIL} makes {@code message} throw.
 */
class RecordingHandler implements ConnectionHandler {
    static final String FAIL = "please fail";

    /** What {@code validate} does; accepts by default. */
    volatile Consumer<Handshake> validator = handshake -> { };

    final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseStatus> disconnects = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    /** Every connection ever connected, with how often {@code disconnect} was called for it. */
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final Map<Long, AtomicInteger> disconnectCalls = new ConcurrentHashMap<>();

    @Override
    public void validate(Handshake handshake) {
        handshakes.add(handshake);
        validator.accept(handshake);
    }

    @Override
    public void connect(Connection connection) {
        connections.add(connection);
        disconnectCalls.put(connection.id(), new AtomicInteger());
        connected.add(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        texts.add(text);
        if (FAIL.equals(text)) {
            throw new IllegalStateException("deliberate failure in message()");
        }
        connection.send(text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        connection.send(ByteBuffer.wrap(ClientSession.bytes(data)));
    }

    @Override
    public void pong(Connection connection, ByteBuffer payload) {
        pongs.add(ClientSession.bytes(payload));
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        disconnectCalls.computeIfAbsent(connection.id(), id -> new AtomicInteger()).incrementAndGet();
        disconnects.add(status);
    }

    @Override
    public void failure(Connection connection, Throwable cause) {
        failures.add(cause);
    }
}

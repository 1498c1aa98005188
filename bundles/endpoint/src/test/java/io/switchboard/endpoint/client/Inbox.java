package io.switchboard.endpoint.client;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.interop.Await;

/**
 * A handler that records what a connection is told, for either end: messages, pongs, the
 * disconnect (and how often it came: it must be once). Every wait is bounded.
 */
class Inbox implements ConnectionHandler {
    static final long SECONDS = Await.SECONDS;

    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();
    final AtomicInteger disconnects = new AtomicInteger();

    @Override
    public void connect(Connection connection) {
        connected.add(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        texts.add(text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        binaries.add(bytes(data));
    }

    @Override
    public void pong(Connection connection, ByteBuffer payload) {
        pongs.add(bytes(payload));
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        disconnects.incrementAndGet();
        disconnected.complete(status);
    }

    CloseStatus awaitDisconnect() throws Exception {
        return Await.done(disconnected);
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

}

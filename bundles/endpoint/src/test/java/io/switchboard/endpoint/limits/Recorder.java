package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.RawWebSocketClient;

/**
 * A handler that records what happens to its connections, in queues a test waits on, and
 * echoes every message back (binary messages as copies, as the API asks).
 */
class Recorder implements ConnectionHandler {
    /** How a connection ended, and when ({@link System#nanoTime()}). */
    record Ended(Connection connection, CloseStatus status, long nanos) {
    }

    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> binaryLengths = new LinkedBlockingQueue<>();
    final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    @Override
    public void connect(Connection connection) {
        connected.add(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        texts.add(text);
        connection.send(text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        binaryLengths.add(data.remaining());
        connection.send(ByteBuffer.allocate(data.remaining()).put(data).flip());
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        ended.add(new Ended(connection, status, System.nanoTime()));
    }

    @Override
    public void failure(Connection connection, Throwable cause) {
        failures.add(cause);
    }

    Connection awaitConnect() throws InterruptedException {
        return await(connected, "connect");
    }

    Ended awaitDisconnect() throws InterruptedException {
        return await(ended, "disconnect");
    }

    static <T> T await(BlockingQueue<T> queue, String what) throws InterruptedException {
        T next = queue.poll(RawWebSocketClient.DEFAULT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertNotNull(next, "no " + what + " within " + RawWebSocketClient.DEFAULT_TIMEOUT_MILLIS + " ms");
        return next;
    }
}

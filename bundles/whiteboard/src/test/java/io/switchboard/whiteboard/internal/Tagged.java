package io.switchboard.whiteboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * Answers each text message with its tag in front ({@code "A:hello"}), so that a client can tell
 * which handler answered, and records its lifecycle callbacks: {@code "connect 7"},
 * {@code "adopt 7"}, {@code "disconnect 7 1000"}.
 */
final class Tagged implements ConnectionHandler {
    private final String tag;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    Tagged(String tag) {
        this.tag = tag;
    }

    @Override
    public void connect(Connection connection) {
        events.add("connect " + connection.id());
    }

    @Override
    public void adopt(Connection connection) {
        events.add("adopt " + connection.id());
    }

    @Override
    public void message(Connection connection, String text) {
        connection.send(tag + ":" + text);
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        events.add("disconnect " + connection.id() + " " + status.code());
    }

    /** Waits for the next event, which must be of {@code kind} ("connect", "adopt"). */
    void next(String kind) throws InterruptedException {
        String event = events.poll(JdkWebSocketClient.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, tag + ": no event in time");
        assertEquals(kind, event.split(" ")[0], tag + ": " + event);
    }

    /** Fails unless nothing happened that {@link #next} did not take; conclusive after a round trip. */
    void assertNoEvents() {
        assertEquals(List.of(), new ArrayList<>(events), tag + ": events");
    }

    @Override
    public String toString() {
        return "handler " + tag;
    }
}

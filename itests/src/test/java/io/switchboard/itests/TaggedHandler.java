package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Echoes each text message prefixed by its tag ({@code "A:hello"}), so a client can tell which
 * handler answered, and records its lifecycle callbacks as events: {@code "connect 7"},
 * {@code "adopt 7"}, {@code "disconnect 7 1000"} (the number is the connection id). A test may
 * extend it to add behaviour, such as a slow {@code validate}.
 */
class TaggedHandler implements ConnectionHandler {
    final String tag;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    TaggedHandler(String tag) {
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

    /** The next event; fails the test if none comes in time. */
    String nextEvent() throws InterruptedException {
        String event = events.poll(WhiteboardTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("handler " + tag + ": no event within " + WhiteboardTestSupport.TIMEOUT_SECONDS + " s", event);
        return event;
    }

    /** Waits for the next event, which must be {@code kind} ("connect", "adopt"); returns its connection id. */
    long next(String kind) throws InterruptedException {
        String[] event = nextEvent().split(" ");
        assertEquals("handler " + tag + ": event", kind, event[0]);
        return Long.parseLong(event[1]);
    }

    /** Fails the test unless nothing happened that was not yet taken with {@link #nextEvent()}. */
    void assertNoEvents() {
        List<String> pending = new ArrayList<>(events);
        assertEquals("handler " + tag + ": unexpected events", List.of(), pending);
    }

    @Override
    public String toString() {
        return "TaggedHandler " + tag;
    }
}

package io.switchboard.itests.handlerbundle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Answers each message {@code n} with {@code "<tag> n"}, after as many milliseconds of work as
 * {@code workMillis} holds then (a sleep, on whatever thread calls it), and reports its lifecycle
 * callbacks as
 * {@code "<tag> connect|adopt|disconnect <connection id>"}.
 *
 * <p>An instance that a {@link NumberEchoFactory} made serves one connection; once the factory
 * has taken it back ({@link #released()}), every callback on it is reported as
 * {@code "<tag> called after release: <callback> <connection id>"} (and still served, so that the
 * test goes on to report it).
 */
final class NumberEcho implements ConnectionHandler {
    private final String tag;
    private final Consumer<String> events;
    private final AtomicLong workMillis;
    private volatile long connectionId = -1;
    private volatile boolean released;

    NumberEcho(String tag, Consumer<String> events, AtomicLong workMillis) {
        this.tag = tag;
        this.events = events;
        this.workMillis = workMillis;
    }

    @Override
    public void connect(Connection connection) {
        reportIfReleased("connect", connection);
        connectionId = connection.id();
        events.accept(tag + " connect " + connection.id());
    }

    @Override
    public void adopt(Connection connection) {
        reportIfReleased("adopt", connection);
        connectionId = connection.id();
        events.accept(tag + " adopt " + connection.id());
    }

    @Override
    public void message(Connection connection, String text) {
        reportIfReleased("message", connection);
        long work = workMillis.get();
        if (work > 0) {
            try {
                Thread.sleep(work);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connection.send(tag + " " + text);
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        reportIfReleased("disconnect", connection);
        events.accept(tag + " disconnect " + connection.id() + " " + status.code());
    }

    /** The factory took this instance back: reports it, with the connection it served. */
    void released() {
        released = true;
        events.accept(tag + " release " + connectionId);
    }

    private void reportIfReleased(String callback, Connection connection) {
        if (released) {
            events.accept(tag + " called after release: " + callback + " " + connection.id());
        }
    }
}

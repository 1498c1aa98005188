package io.switchboard.itests.handlerbundle;

import java.util.function.Consumer;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Answers each message {@code n} with {@code "<tag> n"}, and reports its lifecycle callbacks as
 * {@code "<tag> connect|adopt|disconnect <connection id>"}.
 */
final class NumberEcho implements ConnectionHandler {
    private final String tag;
    private final Consumer<String> events;

    NumberEcho(String tag, Consumer<String> events) {
        this.tag = tag;
        this.events = events;
    }

    @Override
    public void connect(Connection connection) {
        events.accept(tag + " connect " + connection.id());
    }

    @Override
    public void adopt(Connection connection) {
        events.accept(tag + " adopt " + connection.id());
    }

    @Override
    public void message(Connection connection, String text) {
        connection.send(tag + " " + text);
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        events.accept(tag + " disconnect " + connection.id() + " " + status.code());
    }
}

package io.switchboard.examples.echo;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Sends every message back as it came: text as text, binary as binary. Stateless, so one
 * instance serves every connection. This is the server the Autobahn TestSuite runs against.
 *
 * <p>A client that sends faster than it reads would fill the send queue until the server closes
 * the connection (1008). Instead the echo stops reading while its answers do not get out: once
 * the queue is above its high water mark it pauses reading, and resumes when the queue has
 * drained ({@code writable}), so TCP slows such a client down.
 *
 * <p>In OSGi it registers itself as a handler service on {@code /echo}; on a class path it is an
 * ordinary object to hand to the builder.
 */
@Component(service = ConnectionHandler.class, property = "switchboard.route=/echo")
public final class EchoHandler implements ConnectionHandler {

    @Override
    public void message(Connection connection, String text) {
        connection.send(text);
        pauseIfBehind(connection);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        connection.send(data); // send copies the bytes: the buffer may be the server's own
        pauseIfBehind(connection);
    }

    @Override
    public void writable(Connection connection) {
        connection.resumeReading();
    }

    @Override
    public void adopt(Connection connection) {
        // The pause stays with the connection; its writable may have gone to the previous handler.
        if (connection.isWritable()) {
            connection.resumeReading();
        }
    }

    private static void pauseIfBehind(Connection connection) {
        if (!connection.isWritable()) {
            connection.pauseReading();
        }
    }
}

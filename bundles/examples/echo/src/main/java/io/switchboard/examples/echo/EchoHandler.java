package io.switchboard.examples.echo;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Sends every message back as it came: text as text, binary as binary. Stateless, so one
 * instance serves every connection. This is the server the Autobahn TestSuite runs against.
 *
 * <p>In OSGi it registers itself as a handler service on {@code /echo}; on a class path it is an
 * ordinary object to hand to the builder.
 */
@Component(service = ConnectionHandler.class, property = "switchboard.route=/echo")
public final class EchoHandler implements ConnectionHandler {

    @Override
    public void message(Connection connection, String text) {
        connection.send(text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        connection.send(data); // send copies the bytes: the buffer may be the server's own
    }
}

package ${package};

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Answers each text message with a greeting. As a Declarative Services component it is a
 * {@link ConnectionHandler} service on {@value #ROUTE}, which every Switchboard endpoint of the
 * framework serves; update this bundle and its clients stay connected, answered from then on by
 * the new version.
 *
 * <p>One instance serves every connection; for one connection, callbacks never run concurrently.
 */
@Component(service = ConnectionHandler.class, property = "switchboard.route=" + HelloHandler.ROUTE)
public final class HelloHandler implements ConnectionHandler {
    /** The path it serves: ws://host:port/hello. */
    public static final String ROUTE = "/hello";
    /** What each answer starts with. */
    public static final String GREETING = "Hello, ";

    @Override
    public void message(Connection connection, String text) {
        connection.send(GREETING + text);
    }
}

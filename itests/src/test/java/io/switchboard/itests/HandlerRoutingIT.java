package io.switchboard.itests;

import static org.junit.Assert.assertEquals;

import java.util.TreeMap;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * Handler services reach clients: a handshake on a handler's route is accepted and its messages
 * reach the handler; a path no handler serves gets 404. Routes may be templates
 * ({@code /rooms/{room}}), ordered as Jakarta WebSocket orders them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerRoutingIT extends WhiteboardTestSupport {

    @Test
    public void registeredHandlerAnswersOnItsRouteAndUnknownPathsGet404() throws Exception {
        RunningEndpoint endpoint = endpoint("routing");
        register(new TaggedHandler("T"), "/tagged");

        JdkWebSocketClient client = connect(endpoint, "/tagged");
        assertEquals("T:hello", client.request("hello"));
        assertEquals("T:again", client.request("again"));

        assertEquals(404, refusal(endpoint, "/nothing-here"));
        assertEquals("a prefix of a route is another path", 404, refusal(endpoint, "/tagged/more"));
        client.close();
    }

    @Test
    public void echoExampleBundleServesEcho() throws Exception {
        RunningEndpoint endpoint = endpoint("example");
        installedBundle("io.switchboard.examples.echo");

        JdkWebSocketClient client = connect(endpoint, "/echo");
        assertEquals("hello, echo", client.request("hello, echo"));
        client.close();
    }

    @Test
    public void handlerServesEachOfItsRoutes() throws Exception {
        RunningEndpoint endpoint = endpoint("routes");
        register(new TaggedHandler("M"), null, WhiteboardConstants.ROUTE, new String[] {"/one", "/two"});

        assertEquals("M:1", connect(endpoint, "/one").request("1"));
        assertEquals("M:2", connect(endpoint, "/two").request("2"));
    }

    @Test
    public void endpointTargetChoosesTheEndpointsAHandlerServes() throws Exception {
        RunningEndpoint endpoint = endpoint("targeted");
        register(new TaggedHandler("elsewhere"), "/target",
                WhiteboardConstants.ENDPOINT_TARGET, "(" + WhiteboardConstants.ENDPOINT_NAME + "=some-other)");
        assertEquals(404, refusal(endpoint, "/target"));

        register(new TaggedHandler("here"), "/target",
                WhiteboardConstants.ENDPOINT_TARGET, "(" + WhiteboardConstants.ENDPOINT_NAME + "=targeted)");
        assertEquals("here:hi", connect(endpoint, "/target").request("hi"));
    }

    @Test
    public void templatesRouteByTheSpecificationsOrderAndGiveTheirValues() throws Exception {
        RunningEndpoint endpoint = endpoint("templates");
        register(new Parameters("any"), "/{place}/{room}");
        register(new Parameters("rooms"), "/rooms/{room}");
        register(new Parameters("lobby"), "/rooms/lobby");

        assertEquals("rooms {room=kitchen} 1", connect(endpoint, "/rooms/kitchen").request("1"));
        assertEquals("lobby {} 2", connect(endpoint, "/rooms/lobby").request("2"));
        assertEquals("any {place=halls, room=kitchen} 3", connect(endpoint, "/halls/kitchen").request("3"));
        assertEquals(404, refusal(endpoint, "/rooms/kitchen/sink"));
    }

    /** Answers each message with its tag and the request's path parameters, sorted by name. */
    private static final class Parameters implements ConnectionHandler {
        private final String tag;

        Parameters(String tag) {
            this.tag = tag;
        }

        @Override
        public void message(Connection connection, String text) {
            connection.send(tag + " " + new TreeMap<>(connection.request().pathParameters()) + " " + text);
        }
    }
}

package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * A connection whose handler service went away with no replacement waits, reads paused, for the
 * swap grace period: a replacement that comes in time adopts it with nothing lost, else it is
 * closed with 1001. Meanwhile handshakes for its route get 503, and 404 once the period is over.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GracePeriodIT extends WhiteboardTestSupport {

    @Test
    public void connectionIsClosedWith1001WhenNoReplacementComesInTime() throws Exception {
        long grace = 500;
        RunningEndpoint endpoint = endpoint("grace-close", "swapGracePeriodMillis", grace);
        ServiceRegistration<ConnectionHandler> registration = register(new TaggedHandler("A"), "/grace");
        JdkWebSocketClient client = connect(endpoint, "/grace");
        assertEquals("A:1", client.request("1"));

        long start = System.nanoTime();
        registration.unregister();
        assertEquals(CloseStatus.GOING_AWAY, client.awaitClose().code());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue("closed after " + waited + " ms, before the grace period of " + grace + " ms", waited >= grace);
    }

    @Test
    public void handshakeDuringTheGapGets503AndAfterTheGracePeriod404() throws Exception {
        // Long enough for a handshake to complete in the gap on a loaded machine.
        RunningEndpoint endpoint = endpoint("grace-status", "swapGracePeriodMillis", 1500L);
        ServiceRegistration<ConnectionHandler> registration = register(new TaggedHandler("A"), "/gap");
        JdkWebSocketClient client = connect(endpoint, "/gap");
        assertEquals("A:1", client.request("1"));

        registration.unregister();
        assertEquals("a route whose handler is being replaced", 503, refusal(endpoint, "/gap"));
        assertEquals(CloseStatus.GOING_AWAY, client.awaitClose().code());
        assertEquals("no replacement came within the grace period", 404, refusal(endpoint, "/gap"));
    }

    @Test
    public void replacementWithinTheGracePeriodAdoptsTheConnectionWithNothingLost() throws Exception {
        RunningEndpoint endpoint = endpoint("grace-adopt");
        TaggedHandler a = new TaggedHandler("A");
        ServiceRegistration<ConnectionHandler> registration = register(a, "/wait");
        JdkWebSocketClient client = connect(endpoint, "/wait");
        long id = a.next("connect");
        assertEquals("A:1", client.request("1"));

        registration.unregister();
        List<ConnectionInfo> connections = endpointService(endpoint).connections();
        assertEquals(1, connections.size());
        assertNull("the connection waits for a handler", connections.get(0).binding());

        client.send("sent in the gap");
        client.send("and another");
        TaggedHandler b = new TaggedHandler("B");
        register(b, "/wait");
        assertEquals("B adopts the waiting connection", id, b.next("adopt"));
        assertEquals("B:sent in the gap", client.awaitText());
        assertEquals("B:and another", client.awaitText());
        assertEquals("B:2", client.request("2"));
        client.assertOpen();
        a.assertNoEvents();
    }

    @Test
    public void routeThisEndpointNeverServedIs404WhenItsHandlerGoes() throws Exception {
        RunningEndpoint endpoint = endpoint("grace-untargeted");
        ServiceRegistration<ConnectionHandler> elsewhere = register(new TaggedHandler("elsewhere"), "/elsewhere",
                WhiteboardConstants.ENDPOINT_TARGET, "(" + WhiteboardConstants.ENDPOINT_NAME + "=another-endpoint)");
        assertEquals(404, refusal(endpoint, "/elsewhere"));

        elsewhere.unregister();
        assertEquals("no handler of this endpoint is being replaced", 404, refusal(endpoint, "/elsewhere"));
    }

    private SwitchboardEndpoint endpointService(RunningEndpoint endpoint) throws Exception {
        return (SwitchboardEndpoint) context.getService(awaitService(endpoint.filter()));
    }
}

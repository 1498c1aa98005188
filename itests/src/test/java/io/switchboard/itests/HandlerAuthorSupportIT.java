package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.NumberedMessages;
import io.switchboard.testing.TestEndpoint;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * What handler authors get from {@code io.switchboard.testing}, in this build's frameworks: the
 * endpoint that {@code SwitchboardOptions} configures on the port the test JVM chose, the probe
 * that waits for a route without calling its handler, and numbered round trips.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerAuthorSupportIT extends WhiteboardTestSupport {

    @Override
    protected boolean withTestEndpoint() {
        return true;
    }

    @Test
    public void theTestEndpointListensOnLoopbackOnThePortTheOptionsChose() throws Exception {
        int port = portOf(awaitService(endpointFilter(TestEndpoint.NAME)));
        assertEquals("the port the test JVM chose", TestEndpoint.port(), port);
        assertEquals(URI.create("ws://127.0.0.1:" + port + "/echo"), TestEndpoint.uri("/echo"));
    }

    @Test
    public void theEchoExampleAnswersNumberedMessagesOnTheTestEndpoint() {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(TestEndpoint.awaitRoute("/echo"))) {
            NumberedMessages numbers = NumberedMessages.over(client);
            numbers.roundTrips(3, String::valueOf);
            numbers.send(2);
            numbers.expect(2, String::valueOf);
            assertEquals(5, numbers.answered());
        }
    }

    @Test
    public void awaitRouteWaitsForAHandlerAndNeverCallsIt() throws Exception {
        AssertionError none = assertThrows(AssertionError.class,
                () -> TestEndpoint.awaitRoute("/late", Duration.ofSeconds(2)));
        assertTrue(none.getMessage(), none.getMessage().contains("HTTP 404"));

        TaggedHandler late = new TaggedHandler("late");
        register(late, "/late", WhiteboardConstants.ENDPOINT_TARGET,
                "(" + WhiteboardConstants.ENDPOINT_NAME + "=" + TestEndpoint.NAME + ")");
        URI route = TestEndpoint.awaitRoute("/late");

        JdkWebSocketClient client = connect(route);
        assertEquals("late:1", client.request("1"));
        late.next("connect"); // this client's: the probe's requests made none
        late.assertNoEvents();
    }

    private JdkWebSocketClient connect(URI route) {
        return keep(JdkWebSocketClient.connect(route));
    }
}

package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.NumberedMessages;
import io.switchboard.testing.TestEndpoint;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * What handler authors get from {@code io.switchboard.testing}, in this build's frameworks: the
 * endpoint that {@code SwitchboardOptions} configures on port 0, whose actual port
 * {@code TestEndpoint} learns from its service; the wait for a route, which asks the whiteboard
 * and so neither calls the handler nor minds an HTTP handler on the same path; and numbered
 * round trips.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HandlerAuthorSupportIT extends WhiteboardTestSupport {

    @Override
    protected boolean withTestEndpoint() {
        return true;
    }

    @Test
    public void theTestEndpointIsConfiguredWithPort0AndTestEndpointGivesThePortItBound() throws Exception {
        int port = TestEndpoint.port();

        Dictionary<String, Object> configured = testEndpointConfiguration().getProperties();
        assertEquals("the configured port", 0, configured.get("port"));
        assertEquals("the configured host", TestEndpoint.HOST, configured.get("host"));
        assertNotEquals("the port it bound", 0, port);
        assertEquals("the port its service reports", portOf(awaitService(endpointFilter(TestEndpoint.NAME))), port);
        assertEquals(URI.create("ws://127.0.0.1:" + port + "/echo"), TestEndpoint.uri("/echo"));
        assertEquals("the endpoint answers there: nothing on this path", 404, plainGet(TestEndpoint.uri("/nothing")));
    }

    @Test
    public void awaitRouteIsNotMisledByTheEchoPageOnTheSamePath() {
        URI echo = TestEndpoint.awaitRoute("/echo");
        // A plain GET of /echo gets the page, never the 426 that a probe over HTTP waits for.
        assertEquals("the echo page's answer to a plain GET", 200, plainGet(echo));

        try (JdkWebSocketClient client = JdkWebSocketClient.connect(echo)) {
            NumberedMessages numbers = NumberedMessages.over(client);
            numbers.roundTrips(3, String::valueOf);
            numbers.send(2);
            numbers.expect(2, String::valueOf);
            assertEquals(5, numbers.answered());
        }
    }

    @Test
    public void awaitRouteWaitsForALateHandlerAndNeverCallsIt() throws Exception {
        AssertionError none = assertThrows(AssertionError.class,
                () -> TestEndpoint.awaitRoute("/late", Duration.ofSeconds(2)));
        assertTrue(none.getMessage(), none.getMessage().contains("no handler is bound to /late on endpoint testing"));
        assertTrue(none.getMessage(), none.getMessage().contains("no handler service with that route"));

        CompletableFuture<URI> waiting = CompletableFuture.supplyAsync(() -> TestEndpoint.awaitRoute("/late"));
        TaggedHandler late = new TaggedHandler("late");
        register(late, "/late", WhiteboardConstants.ENDPOINT_TARGET,
                "(" + WhiteboardConstants.ENDPOINT_NAME + "=" + TestEndpoint.NAME + ")");
        URI route = waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        JdkWebSocketClient client = keep(JdkWebSocketClient.connect(route));
        assertEquals("late:1", client.request("1"));
        late.next("connect"); // this client's: the waits made none
        late.assertNoEvents();
    }

    @Test
    public void aTestEndpointThatCannotStartIsReportedWithItsComponentsFailure() throws Exception {
        Configuration original = testEndpointConfiguration();
        Dictionary<String, Object> properties = original.getProperties();
        deleteEndpoint(new RunningEndpoint(TestEndpoint.NAME, original, 0));
        Configuration failing = null;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(TestEndpoint.HOST))) {
            properties.put("port", taken.getLocalPort());
            failing = configurationAdmin().getFactoryConfiguration(
                    WhiteboardConstants.ENDPOINT_FACTORY_PID, TestEndpoint.NAME, "?");
            failing.update(properties);

            AssertionError failed = assertThrows(AssertionError.class,
                    () -> TestEndpoint.awaitRoute("/echo", Duration.ofSeconds(3)));
            String message = failed.getMessage();
            assertTrue(message, message.startsWith("endpoint testing did not start within PT3S"));
            assertTrue(message, message.contains("its component failed to activate: java.net.BindException"));
        } finally {
            // As the testing bundle configured it, for the other tests of this framework.
            if (failing != null) {
                failing.delete();
            }
            properties.put("port", 0);
            configurationAdmin().getFactoryConfiguration(WhiteboardConstants.ENDPOINT_FACTORY_PID, TestEndpoint.NAME, "?")
                    .update(properties);
        }
        assertNotEquals("the endpoint runs again", 0, TestEndpoint.port());
    }

    /** The configuration that the testing bundle made for the test endpoint. */
    private Configuration testEndpointConfiguration() throws Exception {
        Configuration[] found = configurationAdmin().listConfigurations("(&(service.factoryPid="
                + WhiteboardConstants.ENDPOINT_FACTORY_PID + ")(name=" + TestEndpoint.NAME + "))");
        assertNotNull("no configuration of the test endpoint", found);
        assertEquals(1, found.length);
        return found[0];
    }

    private ConfigurationAdmin configurationAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    /** The status of a plain HTTP GET (no upgrade) of the route. */
    private static int plainGet(URI route) {
        URI http = URI.create("http" + route.toString().substring("ws".length()));
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(http).timeout(JdkWebSocketClient.DEFAULT_TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            throw new AssertionError("plain GET of " + http + " failed", e);
        }
    }
}

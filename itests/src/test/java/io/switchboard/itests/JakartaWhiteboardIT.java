package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import io.switchboard.itests.jakartabundle.JakartaEndpointBundle;
import io.switchboard.itests.jakartabundle.JakartaEndpointsActivator;
import io.switchboard.jakarta.runtime.FailedJakartaEndpointDTO;
import io.switchboard.jakarta.runtime.JakartaEndpointDTO;
import io.switchboard.jakarta.runtime.JakartaRuntime;
import io.switchboard.jakarta.runtime.JakartaRuntimeDTO;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.runtime.HandlerDTO;

/**
 * Jakarta WebSocket endpoints as whiteboard services, from a bundle built here (see
 * {@code io.switchboard.itests.jakartabundle}): an annotated endpoint registered prototype-scoped
 * (an instance per session, released at the session's end), a programmatic one as a singleton
 * with Pax Web's property, and one that cannot be deployed, listed as failed with the reason.
 * Updating the bundle while sessions are open loses none of them: each is adopted by the new
 * version ({@code onOpen} for the same session with the adopted property true), and the messages
 * sent after the update are answered by it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JakartaWhiteboardIT extends WhiteboardTestSupport {
    private static final String SYMBOLIC_NAME = "io.switchboard.itests.jakarta-endpoints";
    /**
     * The first instance of the prototype-scoped endpoint: the whiteboard gets it when the service
     * comes, to learn its class, and releases it at once; each session then gets one of its own.
     */
    private static final String PROBE_RELEASED = "v1 release 1";

    @Override
    protected Option[] additionalOptions() {
        List<Option> bundles = new ArrayList<>();
        for (String path : System.getProperty("switchboard.jakarta.bundles", "").split(File.pathSeparator)) {
            bundles.add(bundle("file:" + path));
        }
        return bundles.toArray(new Option[0]);
    }

    @Test
    public void annotatedAndProgrammaticEndpointsAreServedAndAnInvalidOneIsListedAsFailed() throws Exception {
        BlockingQueue<String> events = listenToEndpoints();
        RunningEndpoint endpoint = endpoint("jakarta");
        Bundle endpoints = context.installBundle("switchboard-itests:jakarta-endpoints", JakartaEndpointBundle.jar(SYMBOLIC_NAME, 1));
        try {
            endpoints.start();
            assertEquals(PROBE_RELEASED, awaitEvent(events, "v1 release"));
            JdkWebSocketClient kitchen = connect(endpoint, "/jakarta/rooms/kitchen");
            JdkWebSocketClient hall = connect(endpoint, "/jakarta/rooms/hall");
            String first = kitchen.request("hi");
            String second = hall.request("hi");
            assertTrue(first, first.matches("v1 kitchen \\d+ hi"));
            assertTrue(second, second.matches("v1 hall \\d+ hi"));
            assertNotEquals("a prototype-scoped endpoint gives each session its own instance",
                    first.split(" ")[2], second.split(" ")[2]);
            assertEquals("v1 LOUDER", connect(endpoint, "/jakarta/shout").request("louder"));
            sessions(events, "v1 open", "adopted=null", 1);
            assertEquals(404, refusal(endpoint, "/jakarta/broken"));

            sessions(events, "v1 open", "adopted=null", 2);
            kitchen.close();
            assertEquals("v1 close", awaitEvent(events, "v1 close").substring(0, 8));
            assertEquals("the session's instance is released when it ends",
                    "v1 release " + first.split(" ")[2], awaitEvent(events, "v1 release"));
            hall.request("round trip");
            assertEquals("nothing else happened", List.of(), drainNow(events));

            JakartaRuntimeDTO jakarta = service(JakartaRuntime.class).runtime();
            assertEquals(Set.of("/jakarta/rooms/{room}", "/jakarta/shout"), paths(jakarta.endpoints));
            assertEquals(1, jakarta.failedEndpoints.length);
            FailedJakartaEndpointDTO failed = jakarta.failedEndpoints[0];
            assertEquals(endpoints.getBundleId(), failed.bundleId);
            assertTrue(failed.reason, failed.reason.contains("twoMessages"));
            Set<Long> bound = new HashSet<>();
            for (HandlerDTO handler : service(SwitchboardRuntime.class).runtime().boundHandlers) {
                bound.add(handler.serviceId);
            }
            for (JakartaEndpointDTO served : jakarta.endpoints) {
                assertTrue(served.path + " is bound as native handler " + served.handlerServiceId,
                        bound.contains(served.handlerServiceId));
            }
        } finally {
            endpoints.uninstall();
        }
    }

    @Test
    public void updatingTheEndpointBundleHandsEverySessionToTheNewVersion() throws Exception {
        BlockingQueue<String> events = listenToEndpoints();
        RunningEndpoint endpoint = endpoint("jakarta-update"); // the default swap grace period: 30 s
        Bundle endpoints = context.installBundle("switchboard-itests:jakarta-endpoints", JakartaEndpointBundle.jar(SYMBOLIC_NAME, 1));
        try {
            endpoints.start();
            assertEquals(PROBE_RELEASED, awaitEvent(events, "v1 release"));
            List<JdkWebSocketClient> clients = List.of(connect(endpoint, "/jakarta/rooms/a"),
                    connect(endpoint, "/jakarta/rooms/b"), connect(endpoint, "/jakarta/shout"));
            for (JdkWebSocketClient client : clients) {
                assertTrue(client.request("one").startsWith("v1 "));
            }
            Set<String> opened = sessions(events, "v1 open", "adopted=null", clients.size());

            clients.forEach(client -> client.send("two")); // answered by v1 or, once adopted, by v2
            endpoints.update(JakartaEndpointBundle.jar(SYMBOLIC_NAME, 2));
            Set<String> released = new TreeSet<>();
            for (String event : drainNow(events)) {
                assertTrue("after the update returned: " + event, event.startsWith("v1 release ")
                        || event.startsWith("v2 open ") || event.equals("v2 release 1"));
                if (event.equals("v2 release 1")) {
                    continue; // the new version's first instance, which the whiteboard got to learn its class
                }
                if (event.startsWith("v1 release ")) {
                    released.add(event);
                } else {
                    events.add(event); // counted below
                }
            }
            assertEquals("every v1 instance of a session was released when update() returned", 2, released.size());
            clients.forEach(client -> client.send("three"));

            for (JdkWebSocketClient client : clients) {
                String two = client.awaitText();
                assertTrue(two, two.matches("v[12] .*") && two.toLowerCase().endsWith(" two"));
                String three = client.awaitText();
                assertTrue("sent after the update, answered by the new version: " + three,
                        three.startsWith("v2 ") && three.toLowerCase().endsWith(" three"));
            }
            assertEquals("the new version adopted every session, the same ones", opened,
                    sessions(events, "v2 open", "adopted=true", clients.size()));
            for (JdkWebSocketClient client : clients) {
                assertTrue(client.request("four").startsWith("v2 "));
            }
            assertEquals("no session closed, nothing else happened", List.of(), drainNow(events));
        } finally {
            endpoints.uninstall();
        }
    }

    /** Registers the sink the endpoint bundle reports its events to. */
    private BlockingQueue<String> listenToEndpoints() {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(JakartaEndpointsActivator.EVENTS_PROPERTY, true);
        track(context.registerService(Consumer.class, (Consumer<String>) events::add, properties));
        return events;
    }

    /** Waits for {@code count} events starting with {@code prefix} and ending with {@code suffix}; returns their session ids. */
    private static Set<String> sessions(BlockingQueue<String> events, String prefix, String suffix, int count)
            throws InterruptedException {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            String event = awaitEvent(events, prefix);
            assertTrue(event, event.endsWith(suffix));
            ids.add(event.split(" ")[2]);
        }
        return ids;
    }

    private static String awaitEvent(BlockingQueue<String> events, String prefix) throws InterruptedException {
        String event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no event " + prefix + " in time", event);
        assertTrue("expected " + prefix + ", got " + event, event.startsWith(prefix));
        return event;
    }

    private static List<String> drainNow(BlockingQueue<String> events) {
        List<String> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    private static Set<String> paths(JakartaEndpointDTO[] endpoints) {
        Set<String> paths = new HashSet<>();
        Arrays.stream(endpoints).forEach(dto -> paths.add(dto.path));
        return paths;
    }

    private <S> S service(Class<S> type) {
        return context.getService(context.getServiceReference(type));
    }
}

package io.switchboard.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * The base of the whiteboard tests: endpoints created through Configuration Admin, handler
 * services registered by the test, real clients, and a clean-up after each test that leaves the
 * framework as it found it.
 *
 * <p>It loads no class of the whiteboard or endpoint bundles (their constants are compiled in,
 * endpoints are found by the name of their service interface), so a test may refresh those
 * bundles without the framework refreshing the test probe too.
 */
public abstract class WhiteboardTestSupport extends SwitchboardTestSupport {

    /** The endpoint service interface, by name: see the class comment. */
    static final String ENDPOINT_SERVICE = "io.switchboard.whiteboard.SwitchboardEndpoint";

    /** How long a test waits for anything: an event, a service, an answer. */
    protected static final long TIMEOUT_SECONDS = JdkWebSocketClient.DEFAULT_TIMEOUT.toSeconds();

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<JdkWebSocketClient> clients = new ArrayList<>();

    /** An endpoint the test configured, with the port it actually listens on. */
    protected record RunningEndpoint(String name, Configuration configuration, int port) {
        URI uri(String path) {
            return URI.create("ws://127.0.0.1:" + port + path);
        }

        String filter() {
            return endpointFilter(name);
        }
    }

    /**
     * Creates an endpoint named {@code name} on 127.0.0.1 and a free port, with two selector loops
     * and the given settings ({@code "swapGracePeriodMillis", 500L, …}), and waits until it runs.
     */
    protected RunningEndpoint endpoint(String name, Object... settings) throws Exception {
        Configuration configuration = configurationAdmin()
                .getFactoryConfiguration(WhiteboardConstants.ENDPOINT_FACTORY_PID, name, "?");
        configurations.add(configuration);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("host", "127.0.0.1");
        properties.put("port", 0);
        properties.put("loops", 2);
        putAll(properties, settings);
        configuration.update(properties);
        return new RunningEndpoint(name, configuration, portOf(awaitService(endpointFilter(name))));
    }

    /**
     * Changes settings of a running endpoint's configuration and waits until the endpoint has
     * applied them (its service is modified, or registered anew if it was restarted). A new
     * {@code "name"} among them renames the endpoint: its service is then found by that name.
     */
    protected RunningEndpoint reconfigure(RunningEndpoint endpoint, Object... settings) throws Exception {
        Dictionary<String, Object> properties = endpoint.configuration().getProperties();
        putAll(properties, settings);
        String name = String.valueOf(properties.get("name"));
        AtomicReference<ServiceReference<?>> applied = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AllServiceListener listener = event -> {
            boolean appliedEvent = event.getType() == ServiceEvent.MODIFIED || event.getType() == ServiceEvent.REGISTERED;
            if (appliedEvent && name.equals(event.getServiceReference().getProperty(WhiteboardConstants.ENDPOINT_NAME))) {
                applied.set(event.getServiceReference());
                done.countDown();
            }
        };
        context.addServiceListener(listener, "(objectClass=" + ENDPOINT_SERVICE + ")");
        try {
            endpoint.configuration().update(properties);
            assertTrue("endpoint " + endpoint.name() + " did not apply its new configuration in time",
                    done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
        return new RunningEndpoint(name, endpoint.configuration(), portOf(applied.get()));
    }

    /** Deletes the endpoint's configuration and waits until its service is gone. */
    protected void deleteEndpoint(RunningEndpoint endpoint) throws Exception {
        configurations.remove(endpoint.configuration());
        deleteAndAwaitGone(endpoint.configuration(), endpoint.filter());
    }

    /** Registers {@code handler} on {@code route}, with more service properties as key/value pairs. */
    protected ServiceRegistration<ConnectionHandler> register(ConnectionHandler handler, String route,
                                                              Object... properties) {
        Dictionary<String, Object> dictionary = new Hashtable<>();
        if (route != null) {
            dictionary.put(WhiteboardConstants.ROUTE, route);
        }
        putAll(dictionary, properties);
        return track(context.registerService(ConnectionHandler.class, handler, dictionary));
    }

    /** Unregisters the service at the end of the test, unless the test does so itself. */
    protected <S> ServiceRegistration<S> track(ServiceRegistration<S> registration) {
        registrations.add(registration);
        return registration;
    }

    /** Opens a client connection, dropped at the end of the test; fails the test if the handshake fails. */
    protected JdkWebSocketClient connect(RunningEndpoint endpoint, String path) {
        return keep(JdkWebSocketClient.connect(endpoint.uri(path)));
    }

    /** Drops the client's connection at the end of the test. */
    protected JdkWebSocketClient keep(JdkWebSocketClient client) {
        clients.add(client);
        return client;
    }

    /** The HTTP status that refuses a handshake on {@code path}; fails the test if it is accepted. */
    protected int refusal(RunningEndpoint endpoint, String path) {
        return JdkWebSocketClient.to(endpoint.uri(path)).refusal();
    }

    /** Waits for a service matching {@code filter}; fails the test if none comes in time. */
    protected ServiceReference<?> awaitService(String filter) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter(filter), null);
        tracker.open(true);
        try {
            assertNotNull("no service " + filter + " within " + TIMEOUT_SECONDS + " s",
                    tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    /**
     * Polls {@code condition} until it holds, for conditions no event announces (such as threads
     * ending); fails the test with {@code message} if it does not hold in time.
     */
    protected static void awaitCondition(String message, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(message, System.nanoTime() - deadline < 0);
            Thread.sleep(20);
        }
    }

    protected static String endpointFilter(String name) {
        return "(&(objectClass=" + ENDPOINT_SERVICE + ")(" + WhiteboardConstants.ENDPOINT_NAME + "=" + name + "))";
    }

    protected static int portOf(ServiceReference<?> endpoint) {
        return (Integer) endpoint.getProperty(WhiteboardConstants.ENDPOINT_PORT);
    }

    @After
    public void cleanUp() throws Exception {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyUnregistered) {
                // the test unregistered it
            }
        }
        registrations.clear();
        clients.forEach(JdkWebSocketClient::abort);
        clients.clear();
        for (Configuration configuration : configurations) {
            String name = String.valueOf(configuration.getProperties().get("name"));
            deleteAndAwaitGone(configuration, endpointFilter(name));
        }
        configurations.clear();
    }

    private void deleteAndAwaitGone(Configuration configuration, String filter) throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        AllServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                gone.countDown();
            }
        };
        context.addServiceListener(listener, filter);
        try {
            configuration.delete();
            if (context.getAllServiceReferences(null, filter) != null) {
                assertTrue("the service " + filter + " stayed after its configuration was deleted",
                        gone.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
        } finally {
            context.removeServiceListener(listener);
        }
    }

    private ConfigurationAdmin configurationAdmin() throws Exception {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    private Filter filter(String filter) throws InvalidSyntaxException {
        return context.createFilter(filter);
    }

    private static void putAll(Dictionary<String, Object> dictionary, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            dictionary.put((String) keyValues[i], keyValues[i + 1]);
        }
    }
}

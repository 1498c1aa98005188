package io.switchboard.itests.karaf;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.WhiteboardConstants;
import io.switchboard.whiteboard.runtime.HandlerDTO;

/**
 * What the whiteboard says is true, read from its services: the truth the shell's output is
 * compared with. Loaded only after the features are installed (see {@link KarafIT}).
 */
final class LiveState {
    private final BundleContext context;
    private final long timeoutSeconds;
    private SwitchboardEndpoint endpoint;

    LiveState(BundleContext context, long timeoutSeconds) {
        this.context = context;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Waits for the endpoint named default to listen on {@code port}. */
    void awaitDefaultEndpointOn(int port) throws InterruptedException, InvalidSyntaxException {
        Filter filter = FrameworkUtil.createFilter("(&(objectClass=" + SwitchboardEndpoint.class.getName() + ")("
                + WhiteboardConstants.ENDPOINT_NAME + "=default)(" + WhiteboardConstants.ENDPOINT_PORT + "=" + port + "))");
        ServiceTracker<SwitchboardEndpoint, SwitchboardEndpoint> tracker = new ServiceTracker<>(context, filter, null);
        tracker.open();
        try {
            endpoint = tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds));
            assertNotNull("the default endpoint did not come up on port " + port, endpoint);
            if (endpoint.address().getPort() != port) {
                fail("the endpoint service says port " + port + ", its address " + endpoint.address());
            }
        } finally {
            tracker.close();
        }
    }

    /** The ids of the default endpoint's live connections, in order. */
    List<Long> connectionIds() {
        return new ArrayList<>(connections().keySet());
    }

    /** The default endpoint's live connections: their paths by id, in the order of the ids. */
    Map<Long, String> connections() {
        Map<Long, String> paths = new TreeMap<>();
        for (ConnectionInfo connection : endpoint.connections()) {
            paths.put(connection.id(), connection.path());
        }
        return paths;
    }

    /** Waits until the default endpoint's live connections are exactly {@code expected}. */
    void awaitConnectionIds(List<Long> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<Long> ids = connectionIds();
        while (!ids.equals(expected)) {
            if (System.nanoTime() > deadline) {
                fail("live connections " + ids + ", expected " + expected);
            }
            Thread.sleep(50);
            ids = connectionIds();
        }
    }

    /** The service id of the handler bound on {@code route} now. */
    long boundServiceId(String route) {
        ServiceReference<SwitchboardRuntime> reference = context.getServiceReference(SwitchboardRuntime.class);
        assertNotNull("no SwitchboardRuntime service", reference);
        SwitchboardRuntime runtime = context.getService(reference);
        try {
            for (HandlerDTO handler : runtime.runtime().boundHandlers) {
                if (List.of(handler.routes).contains(route)) {
                    return handler.serviceId;
                }
            }
        } finally {
            context.ungetService(reference);
        }
        fail("no handler is bound on " + route);
        return -1;
    }
}

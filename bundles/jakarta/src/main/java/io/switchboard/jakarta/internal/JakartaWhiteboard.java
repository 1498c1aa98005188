package io.switchboard.jakarta.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import io.switchboard.jakarta.runtime.FailedJakartaEndpointDTO;
import io.switchboard.jakarta.runtime.JakartaEndpointDTO;
import io.switchboard.jakarta.runtime.JakartaRuntime;
import io.switchboard.jakarta.runtime.JakartaRuntimeDTO;

/**
 * The Jakarta WebSocket whiteboard: every service with {@code osgi.jakarta.websocket.endpoint.implementor=true}
 * (the draft OSGi Jakarta WebSocket Whiteboard) or Pax Web's {@code websocket=true}, whose object is
 * an {@code @ServerEndpoint} class or an {@code Endpoint}, is deployed and served through the
 * native whiteboard as a {@code ConnectionHandler} service on its path (see {@link ServedEndpoint}):
 * routing, ranking, endpoint targets, hot swap and runtime information are the native ones.
 *
 * <p><b>Threading.</b> The tracker's callbacks come on the threads that register, change and
 * unregister services; each service's state is its {@link ServedEndpoint}'s, under its lock.
 * {@link #runtime} may be called from any thread.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class JakartaWhiteboard implements BundleActivator, JakartaRuntime,
        ServiceTrackerCustomizer<Object, ServedEndpoint> {
    static final String ENDPOINTS = "(|(osgi.jakarta.websocket.endpoint.implementor=true)(websocket=true)"
            + "(org.ops4j.pax.web.http.whiteboard.websocket=true))";

    private final Container container = new Container();
    private BundleContext context;
    private ServiceTracker<Object, ServedEndpoint> tracker;

    @Override
    public void start(BundleContext bundleContext) throws InvalidSyntaxException {
        context = bundleContext;
        tracker = new ServiceTracker<>(context, context.createFilter(ENDPOINTS), this);
        tracker.open(true); // every endpoint service, whatever the class it is registered under
        context.registerService(JakartaRuntime.class, this, null);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        tracker.close();
        container.close();
    }

    @Override
    public ServedEndpoint addingService(ServiceReference<Object> reference) {
        ServedEndpoint endpoint = new ServedEndpoint(context, reference, container);
        endpoint.deploy();
        return endpoint;
    }

    /** Deployed anew (its path, ranking or target may have changed): its live sessions move to the new deployment. */
    @Override
    public void modifiedService(ServiceReference<Object> reference, ServedEndpoint endpoint) {
        endpoint.deploy();
    }

    @Override
    public void removedService(ServiceReference<Object> reference, ServedEndpoint endpoint) {
        endpoint.withdraw();
    }

    @Override
    public JakartaRuntimeDTO runtime() {
        List<JakartaEndpointDTO> served = new ArrayList<>();
        List<FailedJakartaEndpointDTO> failed = new ArrayList<>();
        for (ServedEndpoint endpoint : tracker.getTracked().values()) {
            JakartaEndpointDTO dto = endpoint.describe();
            if (dto instanceof FailedJakartaEndpointDTO failure) {
                failed.add(failure);
            } else {
                served.add(dto);
            }
        }
        JakartaRuntimeDTO runtime = new JakartaRuntimeDTO();
        runtime.endpoints = served.toArray(JakartaEndpointDTO[]::new);
        runtime.failedEndpoints = failed.toArray(FailedJakartaEndpointDTO[]::new);
        return runtime;
    }
}

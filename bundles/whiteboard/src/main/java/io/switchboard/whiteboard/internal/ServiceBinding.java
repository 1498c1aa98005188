package io.switchboard.whiteboard.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;

/**
 * One handler service as endpoints see it: a source of handler objects. It is dereferenced late,
 * once per connection, through {@link ServiceObjects}, so a prototype-scoped service gives every
 * connection an instance of its own and gets it back when the connection ends; a singleton
 * service simply hands out the same object each time.
 *
 * <p>The object stays the same for as long as the service is registered, even when its properties
 * change: it is what live connections are bound to.
 */
final class ServiceBinding implements HandlerBinding {
    private final BundleContext context;
    private final ServiceReference<ConnectionHandler> reference;
    private volatile boolean blocking;
    private volatile List<String> subprotocols = List.of();
    private volatile String failure;

    ServiceBinding(BundleContext context, ServiceReference<ConnectionHandler> reference) {
        this.context = context;
        this.reference = reference;
    }

    /** Takes the properties that shape the handlers it hands out from a fresh reading. */
    void update(HandlerEntry entry) {
        blocking = entry.blocking();
        subprotocols = entry.subprotocols();
    }

    /**
     * Synchronized with {@link #release}: the framework counts a bundle's uses of a service, and
     * Felix loses count when one thread gets the service while another ungets it (the unget then
     * fails with an IllegalArgumentException). Connections on several loops do exactly that.
     */
    @Override
    public synchronized ConnectionHandler acquire() {
        ServiceObjects<ConnectionHandler> objects = context.getServiceObjects(reference);
        ConnectionHandler handler = objects == null ? null : objects.getService();
        if (handler == null) {
            failure = "the service could not be got (unregistered, or its component failed to activate)";
            throw new IllegalStateException("handler service " + serviceId() + ": " + failure);
        }
        failure = null;
        List<String> preferred = subprotocols;
        return preferred.isEmpty() ? handler : new SubprotocolPreference(handler, preferred);
    }

    @Override
    public synchronized void release(ConnectionHandler handler) {
        ConnectionHandler service = handler instanceof SubprotocolPreference preference ? preference.delegate() : handler;
        ServiceObjects<ConnectionHandler> objects = context.getServiceObjects(reference);
        if (objects != null) {
            objects.ungetService(service);
        }
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    ServiceReference<ConnectionHandler> reference() {
        return reference;
    }

    long serviceId() {
        return (Long) reference.getProperty(org.osgi.framework.Constants.SERVICE_ID);
    }

    /** Why the last attempt to get the service failed, or null. */
    String failure() {
        return failure;
    }

    @Override
    public String toString() {
        return "handler service " + serviceId() + " of bundle " + reference.getBundle();
    }
}

package io.switchboard.whiteboard.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;

/**
 * One handler service as endpoints see it: a source of handler objects. A prototype-scoped service
 * is dereferenced once per connection, through {@link ServiceObjects}, so that every connection
 * gets an instance of its own and gives it back when it ends. Any other service has one object
 * for this bundle: it is got when the first connection needs it and let go of when the last one
 * is done, so that moving ten thousand connections in a hot swap does not go through the
 * framework's service registry ten thousand times.
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
    private final boolean prototype;
    /** The object of a service that is not prototype-scoped, while {@link #users} is above 0. Guarded by this. */
    private ConnectionHandler shared;
    private int users;

    ServiceBinding(BundleContext context, ServiceReference<ConnectionHandler> reference) {
        this.context = context;
        this.reference = reference;
        this.prototype = Constants.SCOPE_PROTOTYPE.equals(reference.getProperty(Constants.SERVICE_SCOPE));
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
        ConnectionHandler handler = prototype ? newInstance() : shared();
        if (handler == null) {
            failure = "the service could not be got (unregistered, or its component failed to activate)";
            throw new IllegalStateException("handler service " + serviceId() + ": " + failure);
        }
        failure = null;
        List<String> preferred = subprotocols;
        return preferred.isEmpty() ? handler : new SubprotocolPreference(handler, preferred);
    }

    private ConnectionHandler newInstance() {
        ServiceObjects<ConnectionHandler> objects = context.getServiceObjects(reference);
        return objects == null ? null : objects.getService();
    }

    private ConnectionHandler shared() {
        if (reference.getBundle() == null) {
            return null; // unregistered: no new user, as the framework would refuse one
        }
        if (users == 0) {
            shared = context.getService(reference);
            if (shared == null) {
                return null;
            }
        }
        users++;
        return shared;
    }

    @Override
    public synchronized void release(ConnectionHandler handler) {
        if (!prototype) {
            if (users > 0 && --users == 0) {
                shared = null;
                context.ungetService(reference);
            }
            return;
        }
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
        return (Long) reference.getProperty(Constants.SERVICE_ID);
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

package io.switchboard.jakarta.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.jakarta.runtime.FailedJakartaEndpointDTO;
import io.switchboard.jakarta.runtime.JakartaEndpointDTO;
import jakarta.websocket.DeploymentException;

/**
 * One Jakarta endpoint service as the whiteboard serves it: deployed, and registered as a native
 * prototype-scoped {@code ConnectionHandler} service on its path, which gives each connection a
 * {@link JakartaConnection} of its own; or failed, with the reason.
 *
 * <p>The service is got once when it comes, to learn its class (the path of an annotated endpoint
 * is on the class). A prototype-scoped service then gives each session an instance of its own,
 * ungot when the session ends or is handed to another endpoint; any other is one object shared
 * by every session, ungot when the service goes.
 *
 * <p><b>Threading.</b> Made, changed and withdrawn by the service tracker, one call at a time
 * for a service ({@code synchronized}); the handler factory is called on the endpoints' loops
 * and workers and reads only what is fixed at deployment.
 */
final class ServedEndpoint {
    /** The draft OSGi whiteboard's property: the path or template, over the annotation's. */
    static final String PATH = "osgi.jakarta.websocket.endpoint.path";
    /** On the native handler service: the id of the Jakarta endpoint service it serves. */
    static final String ORIGIN = "io.switchboard.jakarta.endpoint.service.id";

    private static final String NATIVE_PREFIX = "switchboard.";
    private static final String ROUTE = "switchboard.route";
    private static final String BLOCKING = "switchboard.blocking";

    private final BundleContext context;
    private final ServiceReference<Object> reference;
    private final Container container;
    private final boolean prototype;
    private ServiceObjects<Object> objects;
    private Class<?> type;
    /** The object every session shares, if the service is not prototype-scoped. */
    private Object shared;
    private String path;
    private ServiceRegistration<ConnectionHandler> registration;
    private String failure;

    ServedEndpoint(BundleContext context, ServiceReference<Object> reference, Container container) {
        this.context = context;
        this.reference = reference;
        this.container = container;
        this.prototype = Constants.SCOPE_PROTOTYPE.equals(reference.getProperty(Constants.SERVICE_SCOPE));
    }

    /**
     * Deploys the service as its properties are now, then withdraws what was deployed before: the
     * live connections of the old registration are handed to the new one (adopted, as a hot swap).
     */
    synchronized void deploy() {
        ServiceRegistration<ConnectionHandler> before = registration;
        registration = null;
        failure = null;
        try {
            registration = register();
        } catch (DeploymentException | RuntimeException e) {
            failure = e.getMessage() != null ? e.getMessage() : e.toString();
            System.getLogger(ServedEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                    "Jakarta endpoint service " + serviceId() + " of " + reference.getBundle() + " not served: " + failure);
        }
        if (before != null) {
            unregister(before);
        }
    }

    private ServiceRegistration<ConnectionHandler> register() throws DeploymentException {
        if (type == null) {
            objects = context.getServiceObjects(reference);
            Object first = objects == null ? null : objects.getService();
            if (first == null) {
                throw new DeploymentException("the service could not be got");
            }
            type = first.getClass();
            if (prototype) {
                ungetQuietly(objects, first); // each session gets its own
            } else {
                shared = first;
            }
        }
        Object pathProperty = reference.getProperty(PATH);
        path = pathProperty instanceof String given && !given.isEmpty() ? given : null;
        Object blockingProperty = reference.getProperty(BLOCKING);
        boolean blocking = blockingProperty == null || Boolean.parseBoolean(String.valueOf(blockingProperty));
        ServiceObjects<Object> source = objects; // fixed for the deployment: sessions read them on other threads
        Object sharedObject = shared;
        Deployment deployment = Deployment.served(type, path, container, blocking, new Deployment.Instances() {
            @Override
            public Object get() {
                return prototype ? source.getService() : sharedObject;
            }

            @Override
            public void unget(Object instance) {
                if (prototype) {
                    ungetQuietly(source, instance);
                }
            }
        });
        path = deployment.template().path();
        return context.registerService(ConnectionHandler.class, new PrototypeServiceFactory<>() {
            @Override
            public ConnectionHandler getService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration) {
                return new JakartaConnection(deployment);
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration,
                                     ConnectionHandler service) {
                ((JakartaConnection) service).released();
            }
        }, nativeProperties(blocking));
    }

    /**
     * The native handler's properties: the route, ranking and every {@code switchboard.*}
     * property of the endpoint service (target filter, adopt …), blocking unless it says
     * otherwise (a basic send waits for its write), and where it comes from.
     */
    private Dictionary<String, Object> nativeProperties(boolean blocking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (String key : reference.getPropertyKeys()) {
            if (key.startsWith(NATIVE_PREFIX) || key.equals(Constants.SERVICE_RANKING)) {
                properties.put(key, reference.getProperty(key));
            }
        }
        properties.put(ROUTE, path);
        properties.put(BLOCKING, blocking);
        properties.put(ORIGIN, serviceId());
        return properties;
    }

    /** The service went: its native handler goes (its connections to the best replacement), and its object is ungot. */
    synchronized void withdraw() {
        if (registration != null) {
            unregister(registration);
            registration = null;
        }
        if (shared != null) {
            ungetQuietly(objects, shared);
            shared = null;
        }
    }

    /** Unregistering returns once the native whiteboard has handed the registration's connections over. */
    private static void unregister(ServiceRegistration<ConnectionHandler> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // this bundle is stopping: the framework unregistered it
        }
    }

    /** The framework may have ungot it already, when the service was unregistered or its bundle stopped. */
    private static void ungetQuietly(ServiceObjects<Object> objects, Object instance) {
        try {
            objects.ungetService(instance);
        } catch (IllegalStateException | IllegalArgumentException released) {
            // nothing left to give back
        }
    }

    synchronized JakartaEndpointDTO describe() {
        JakartaEndpointDTO dto = failure == null ? new JakartaEndpointDTO() : new FailedJakartaEndpointDTO();
        dto.serviceId = serviceId();
        Bundle bundle = reference.getBundle();
        dto.bundleId = bundle == null ? -1 : bundle.getBundleId();
        dto.path = path;
        dto.endpointClass = type == null ? null : type.getName();
        if (registration != null) {
            dto.handlerServiceId = (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
        }
        if (dto instanceof FailedJakartaEndpointDTO failed) {
            failed.reason = failure;
        }
        return dto;
    }

    synchronized boolean failed() {
        return failure != null;
    }

    private long serviceId() {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}

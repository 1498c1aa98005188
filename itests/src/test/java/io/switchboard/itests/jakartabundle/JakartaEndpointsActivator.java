package io.switchboard.itests.jakartabundle;

import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of the Jakarta endpoint bundle that {@code JakartaWhiteboardIT} builds, installs
 * and updates. It registers, tagged with the bundle's major version ({@code v1}):
 * {@link RoomEcho} prototype-scoped with the draft whiteboard's property, each instance numbered,
 * its release reported ({@code "v1 release 3"}); {@link Shout} as a singleton with Pax Web's
 * {@code websocket=true} and its path as a property; and {@link Broken}, which cannot be deployed.
 * The classes of this package are copied into that bundle and use nothing of the test probe.
 */
public final class JakartaEndpointsActivator implements BundleActivator {
    /** The user property of an adopted session (the jakarta bundle's, by value: this bundle does not import it). */
    static final String ADOPTED = "io.switchboard.jakarta.adopted";
    /** The property of the test's {@code Consumer<String>} service that receives the endpoints' events. */
    public static final String EVENTS_PROPERTY = "switchboard.itests.jakarta.events";

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        String tag = "v" + context.getBundle().getVersion().getMajor();
        Consumer<String> events = events(context);
        AtomicInteger instances = new AtomicInteger();

        Hashtable<String, Object> rooms = new Hashtable<>();
        rooms.put("osgi.jakarta.websocket.endpoint.implementor", true);
        context.registerService(Object.class.getName(), new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new RoomEcho(tag, instances.incrementAndGet(), events);
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                events.accept(tag + " release " + ((RoomEcho) service).instance());
            }
        }, rooms);

        Hashtable<String, Object> shout = new Hashtable<>();
        shout.put("websocket", "true");
        shout.put("osgi.jakarta.websocket.endpoint.path", "/jakarta/shout");
        context.registerService(Object.class.getName(), new Shout(tag, events), shout);

        Hashtable<String, Object> broken = new Hashtable<>();
        broken.put("osgi.jakarta.websocket.endpoint.implementor", "true");
        context.registerService(Object.class.getName(), new Broken(), broken);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the services
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String> events(BundleContext context) throws InvalidSyntaxException {
        ServiceReference<?>[] sinks = context.getAllServiceReferences(Consumer.class.getName(), "(" + EVENTS_PROPERTY + "=true)");
        if (sinks == null) {
            return event -> { };
        }
        return (Consumer<String>) context.getService(sinks[0]);
    }
}

package io.switchboard.itests.handlerbundle;

import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.switchboard.api.ConnectionHandler;

/**
 * The activator of the handler bundle that {@code BundleUpdateIT} builds, installs and updates:
 * it registers a {@link NumberEcho} on {@value #ROUTE} tagged with the bundle's major version,
 * blocking (its callbacks on the worker pool) if the bundle's {@value #BLOCKING_HEADER} header says
 * so, prototype-scoped (a {@link NumberEchoFactory}) if its {@value #PROTOTYPE_HEADER} header does.
 * Once the bundle starts stopping, the handler takes the milliseconds its {@value #BUSY_HEADER}
 * header gives over each message: busy while the framework unregisters it.
 * The classes of this package are copied into that bundle and use nothing of the test probe.
 */
public final class NumberEchoActivator implements BundleActivator {
    /** The route the handler serves. */
    public static final String ROUTE = "/numbers";
    /** The property of the test's {@code Consumer<String>} service that receives the handler's events. */
    public static final String EVENTS_PROPERTY = "switchboard.itests.events";
    /** The manifest header that makes the handler blocking. */
    public static final String BLOCKING_HEADER = "Switchboard-Test-Blocking";
    /** The manifest header that makes the handler service prototype-scoped. */
    public static final String PROTOTYPE_HEADER = "Switchboard-Test-Prototype";
    /** The manifest header with the milliseconds each message takes once the bundle is stopping. */
    public static final String BUSY_HEADER = "Switchboard-Test-Busy-When-Stopping-Millis";

    /** The milliseconds each message takes now. */
    private final AtomicLong workMillis = new AtomicLong();

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        String tag = "v" + context.getBundle().getVersion().getMajor();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("switchboard.route", ROUTE);
        properties.put("switchboard.blocking", Boolean.parseBoolean(context.getBundle().getHeaders().get(BLOCKING_HEADER)));
        if (Boolean.parseBoolean(context.getBundle().getHeaders().get(PROTOTYPE_HEADER))) {
            context.registerService(ConnectionHandler.class, new NumberEchoFactory(tag, events(context), workMillis), properties);
        } else {
            context.registerService(ConnectionHandler.class, new NumberEcho(tag, events(context), workMillis), properties);
        }
    }

    @Override
    public void stop(BundleContext context) {
        String busy = context.getBundle().getHeaders().get(BUSY_HEADER);
        workMillis.set(busy == null ? 0 : Long.parseLong(busy));
        // then the framework unregisters the handler service
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

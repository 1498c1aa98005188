package io.switchboard.testing.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.switchboard.testing.TestEndpoint;

/**
 * One bounded wait inside the framework, for {@link TestEndpoint}: for the endpoint's service,
 * which carries the port it actually listens on, and for a handler bound to a path on it, as the
 * whiteboard's runtime information reports it. When the endpoint does not come, the Declarative
 * Services runtime says why its component failed.
 *
 * <p>Services are found by the name of their interface and read by reflection, each through the
 * class space of the bundle that registered it (DTOs are public fields): this bundle wires to no
 * Switchboard bundle, since their own tests use it and a refresh of the whiteboard must not take
 * it along, nor to the component runtime's API. The whiteboard announces no change of its runtime
 * information, so the wait for a handler reads it again every {@value #INTERVAL_MILLIS} ms.
 *
 * <p>Made and used by one thread, the test's; it holds no service between calls.
 */
public final class WhiteboardWait {
    /** The whiteboard's names, by value (see the class comment), as in its {@code WhiteboardConstants}. */
    private static final String ENDPOINT_SERVICE = "io.switchboard.whiteboard.SwitchboardEndpoint";
    private static final String ENDPOINT_NAME = "switchboard.endpoint.name";
    private static final String ENDPOINT_PORT = "switchboard.endpoint.port";
    private static final String RUNTIME_SERVICE = "io.switchboard.whiteboard.SwitchboardRuntime";
    private static final String COMPONENT_RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    /** {@code ComponentConfigurationDTO.FAILED_ACTIVATION}. */
    private static final int FAILED_ACTIVATION = 16;
    private static final long INTERVAL_MILLIS = 25;

    private final BundleContext context;
    private final Duration timeout;
    private final long deadline;

    private WhiteboardWait(BundleContext context, Duration timeout) {
        this.context = context;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /**
     * A wait of at most {@code timeout} from now, through the framework that loaded {@code type};
     * null if no framework did (a plain class path).
     */
    public static WhiteboardWait within(Class<?> type, Duration timeout) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        if (bundle == null) {
            return null;
        }
        BundleContext context = bundle.getBundleContext();
        if (context == null) {
            throw new IllegalStateException(bundle.getSymbolicName() + " is not active, so it cannot look for the test endpoint");
        }
        return new WhiteboardWait(context, timeout);
    }

    /** Whether the framework property {@code name} is {@code true}. */
    public boolean property(String name) {
        return Boolean.parseBoolean(context.getProperty(name));
    }

    /** The port the endpoint named {@code name} listens on, once its service is registered. */
    public int port(String name) {
        String filter = "(&(objectClass=" + ENDPOINT_SERVICE + ")(" + ENDPOINT_NAME + "=" + name + "))";
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter(filter), null);
        tracker.open(true); // whatever the class space: this bundle does not import the whiteboard
        try {
            if (tracker.waitForService(millisLeft()) == null) {
                throw new AssertionError("endpoint " + name + " did not start within " + timeout + ": "
                        + whyNoEndpoint(name));
            }
            return (Integer) tracker.getServiceReference().getProperty(ENDPOINT_PORT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for endpoint " + name, e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Returns once the whiteboard reports a handler bound on the endpoint named {@code endpoint}
     * that has {@code path} among its routes: handshakes on that path then reach a handler (that
     * one, or a better one that holds the path). Fails the test with what the whiteboard reports
     * of the path's handlers if it does not happen in time.
     */
    public void awaitBound(String endpoint, String path) {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter("(objectClass=" + RUNTIME_SERVICE + ")"), null);
        tracker.open(true);
        try {
            while (true) {
                // Asked each round: a whiteboard refreshed meanwhile has registered another one.
                Object runtime = tracker.waitForService(millisLeft());
                ServiceReference<Object> reference = tracker.getServiceReference();
                if (runtime == null || reference == null) {
                    throw new AssertionError("no " + RUNTIME_SERVICE + " service within " + timeout
                            + ": is io.switchboard.whiteboard active?");
                }
                Object dto = call(reference, runtime, RUNTIME_SERVICE, "runtime");
                for (Object handler : (Object[]) field(dto, "boundHandlers")) {
                    if (has(handler, "routes", path) && has(handler, "endpoints", endpoint)) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new AssertionError("no handler is bound to " + path + " on endpoint " + endpoint
                            + " within " + timeout + "; the whiteboard reports " + handlersOf(dto, path));
                }
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a handler of " + path, e);
        } finally {
            tracker.close();
        }
    }

    /** The handlers with {@code path} among their routes that are not bound, and why, for people. */
    private static String handlersOf(Object runtime, String path) {
        List<String> found = new ArrayList<>();
        for (Object handler : (Object[]) field(runtime, "boundHandlers")) {
            if (has(handler, "routes", path)) {
                found.add("service " + field(handler, "serviceId") + " bound on other endpoints only: "
                        + List.of((String[]) field(handler, "endpoints")));
            }
        }
        for (Object handler : (Object[]) field(runtime, "shadowedHandlers")) {
            if (has(handler, "routes", path)) {
                found.add("service " + field(handler, "serviceId")
                        + " bound nowhere (a better handler holds the path, or its endpoint target matches no endpoint)");
            }
        }
        for (Object handler : (Object[]) field(runtime, "failedHandlers")) {
            if (has(handler, "routes", path)) {
                found.add("service " + field(handler, "serviceId") + " failed: " + field(handler, "reason"));
            }
        }
        return found.isEmpty() ? "no handler service with that route" : String.join("; ", found);
    }

    /**
     * Why the endpoint's service is not there: the failure of its component configuration if the
     * component runtime reports one, else what to look at.
     */
    private String whyNoEndpoint(String name) {
        ServiceReference<?> reference = context.getServiceReference(COMPONENT_RUNTIME);
        Object runtime = reference == null ? null : context.getService(reference);
        if (runtime == null) {
            return "there is no Declarative Services runtime in the framework";
        }
        try {
            Collection<?> descriptions = (Collection<?>) call(reference, runtime, COMPONENT_RUNTIME,
                    "getComponentDescriptionDTOs", (Object) new Bundle[0]);
            for (Object description : descriptions) {
                if (!List.of((String[]) field(description, "configurationPid")).contains(TestEndpointActivator.ENDPOINT_FACTORY_PID)) {
                    continue;
                }
                Collection<?> configurations = (Collection<?>) call(reference, runtime, COMPONENT_RUNTIME,
                        "getComponentConfigurationDTOs", description);
                for (Object configuration : configurations) {
                    Map<?, ?> properties = (Map<?, ?>) field(configuration, "properties");
                    if (name.equals(properties.get("name")) && (Integer) field(configuration, "state") == FAILED_ACTIVATION) {
                        return "its component failed to activate: " + rootCause(String.valueOf(field(configuration, "failure")));
                    }
                }
                return "its component has not activated and reports no failure (is Configuration Admin there?)";
            }
            return "no component for " + TestEndpointActivator.ENDPOINT_FACTORY_PID + " configurations (is io.switchboard.whiteboard active?)";
        } finally {
            context.ungetService(reference);
        }
    }

    /** The root cause's line from a stack trace: the runtime wraps what the component threw. */
    private static String rootCause(String stackTrace) {
        List<String> lines = stackTrace.lines().toList();
        String root = lines.isEmpty() ? "" : lines.get(0);
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                root = line.substring("Caused by: ".length());
            }
        }
        return root.strip();
    }

    private long millisLeft() {
        // At least 1: waitForService(0) would wait for ever.
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private Filter filter(String filter) {
        try {
            return context.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a valid endpoint name in " + filter, e);
        }
    }

    /** Calls {@code type.method} on {@code service}, with {@code type} as the registering bundle sees it. */
    private static Object call(ServiceReference<?> reference, Object service, String type, String method, Object... arguments) {
        try {
            for (Method candidate : reference.getBundle().loadClass(type).getMethods()) {
                if (candidate.getName().equals(method) && candidate.getParameterCount() == arguments.length) {
                    return candidate.invoke(service, arguments);
                }
            }
            throw new IllegalStateException(type + " has no method " + method);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(type + "." + method + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + type + "." + method, e);
        }
    }

    private static Object field(Object dto, String name) {
        try {
            return dto.getClass().getField(name).get(dto);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no field " + name + " in " + dto.getClass().getName(), e);
        }
    }

    private static boolean has(Object dto, String arrayField, String value) {
        return List.of((String[]) field(dto, arrayField)).contains(value);
    }
}

package io.switchboard.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The two services the launcher calls, ConfigAdmin and the Declarative Services runtime, called
 * without their API on the class path: the launcher's class path is the framework alone, so each
 * method is looked up on the service interface as the bundle providing the service sees it.
 */
final class ForeignServices {
    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    private static final String COMPONENT_RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    /** {@code ComponentConfigurationDTO.FAILED_ACTIVATION}. */
    private static final int FAILED_ACTIVATION = 16;

    private final BundleContext context;
    private final long timeoutMillis;

    ForeignServices(BundleContext context, long timeoutMillis) {
        this.context = context;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Creates or updates the factory configuration {@code pid~name} with {@code properties}, bound
     * to no bundle ({@code "?"}), so that the component runtime in another bundle sees it.
     */
    void updateFactoryConfiguration(String pid, String name, Map<String, Object> properties)
            throws StartupException, InterruptedException {
        try (Provided admin = service(CONFIGURATION_ADMIN)) {
            Object configuration = admin.call(CONFIGURATION_ADMIN, "getFactoryConfiguration",
                    List.of(String.class, String.class, String.class), pid, name, "?");
            Dictionary<String, Object> dictionary = new Hashtable<>(properties);
            admin.call(CONFIGURATION, configuration, "update", List.of(Dictionary.class), dictionary);
        }
    }

    /**
     * Why the component configuration made from the factory configuration {@code pid~name} failed
     * to activate, or null if it did not fail (yet).
     */
    String componentFailure(String pid, String name) throws StartupException, InterruptedException {
        try (Provided runtime = service(COMPONENT_RUNTIME)) {
            Collection<?> descriptions = (Collection<?>) runtime.call(COMPONENT_RUNTIME,
                    "getComponentDescriptionDTOs", List.of(Bundle[].class), (Object) new Bundle[0]);
            for (Object description : descriptions) {
                if (!List.of((String[]) field(description, "configurationPid")).contains(pid)) {
                    continue;
                }
                Collection<?> configurations = (Collection<?>) runtime.call(COMPONENT_RUNTIME,
                        "getComponentConfigurationDTOs", List.of(description.getClass()), description);
                for (Object configuration : configurations) {
                    Map<?, ?> componentProperties = (Map<?, ?>) field(configuration, "properties");
                    if ((Integer) field(configuration, "state") == FAILED_ACTIVATION
                            && name.equals(componentProperties.get("name"))) {
                        Object failure = field(configuration, "failure");
                        return failure == null ? "unknown failure" : failure.toString();
                    }
                }
            }
            return null;
        }
    }

    /** The service, held until the returned object is closed. */
    private Provided service(String type) throws StartupException, InterruptedException {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, type, null);
        tracker.open(true);
        Object service = tracker.waitForService(timeoutMillis);
        if (service == null) {
            tracker.close();
            throw new StartupException("No " + type + " service within " + timeoutMillis / 1000 + " s");
        }
        return new Provided(tracker, tracker.getServiceReference(), service);
    }

    private static Object field(Object dto, String name) {
        try {
            return dto.getClass().getField(name).get(dto);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No field " + name + " in " + dto.getClass().getName(), e);
        }
    }

    /** A service object with the bundle that provides it, whose class space names its types. */
    private record Provided(ServiceTracker<Object, Object> tracker, ServiceReference<Object> reference,
                            Object service) implements AutoCloseable {
        @Override
        public void close() {
            tracker.close();
        }

        Object call(String type, String method, List<Class<?>> parameters, Object... arguments) {
            return call(type, service, method, parameters, arguments);
        }

        Object call(String type, Object target, String method, List<Class<?>> parameters, Object... arguments) {
            try {
                Class<?> declaring = reference.getBundle().loadClass(type);
                Method declared = declaring.getMethod(method, parameters.toArray(Class<?>[]::new));
                return declared.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(type + "." + method + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot call " + type + "." + method, e);
            }
        }
    }
}

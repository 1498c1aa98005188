package io.switchboard.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The launcher's dealings with ConfigAdmin (a plugin) and the Declarative Services runtime (why a
 * component failed), without their API on the class path: the launcher's class path is the
 * framework alone, so each type is loaded as the bundle providing the service sees it. Called by
 * the launcher's main thread; the plugin it registers is called on ConfigAdmin's threads.
 */
final class ForeignServices {
    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION_PLUGIN = "org.osgi.service.cm.ConfigurationPlugin";
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
     * Registers {@code plugin} as a ConfigAdmin {@code ConfigurationPlugin} for the configurations
     * of {@code factoryPid}: it changes what their consumers see (a copy), not what is stored. The
     * plugin is a proxy of the interface as ConfigAdmin's bundle loads it; it stays registered
     * until the framework stops.
     */
    void registerConfigurationPlugin(String factoryPid, Consumer<Dictionary<String, Object>> plugin)
            throws StartupException, InterruptedException {
        Class<?> type;
        try (Provided admin = service(CONFIGURATION_ADMIN)) {
            type = admin.reference().getBundle().loadClass(CONFIGURATION_PLUGIN);
        } catch (ClassNotFoundException e) {
            throw new StartupException("ConfigAdmin has no " + CONFIGURATION_PLUGIN, e);
        }
        InvocationHandler handler = (proxy, method, arguments) -> switch (method.getName()) {
            case "modifyConfiguration" -> {
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> properties = (Dictionary<String, Object>) arguments[1];
                plugin.accept(properties);
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == arguments[0];
            case "toString" -> "the launcher's ConfigurationPlugin for " + factoryPid;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
        context.registerService(CONFIGURATION_PLUGIN, proxy, new Hashtable<>(Map.of("cm.target", new String[] {factoryPid})));
    }

    /** Why a component configuration failed to activate, and its properties (what it tried). */
    record ComponentFailure(String cause, Map<?, ?> properties) {
    }

    /**
     * The failure of the component configuration made from the factory configuration
     * {@code pid} whose {@code name} property is {@code name}, or null if it did not fail (yet).
     */
    ComponentFailure componentFailure(String pid, String name) throws StartupException, InterruptedException {
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
                        return new ComponentFailure(failure == null ? "unknown failure" : failure.toString(),
                                componentProperties);
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
            try {
                Class<?> declaring = reference.getBundle().loadClass(type);
                Method declared = declaring.getMethod(method, parameters.toArray(Class<?>[]::new));
                return declared.invoke(service, arguments);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(type + "." + method + " failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot call " + type + "." + method, e);
            }
        }
    }
}

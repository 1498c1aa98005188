package io.switchboard.whiteboard.internal;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * The whiteboard's components in a real Felix framework, built as Declarative Services would
 * build them but by the test: the handler registry, the HTTP handler registry and endpoints, each
 * endpoint on 127.0.0.1 and a free port. Handler services are registered in the framework, and
 * clients reach the endpoints over real sockets. {@link #close()} stops it all.
 */
final class Whiteboard implements AutoCloseable {
    final Framework framework;
    final BundleContext context;
    final HandlerRegistry registry = new HandlerRegistry();
    private final HttpHandlerRegistry httpHandlers = new HttpHandlerRegistry();
    private final List<EndpointComponent> endpoints = new ArrayList<>();
    private final List<JdkWebSocketClient> clients = new ArrayList<>();

    Whiteboard() throws Exception {
        framework = Frameworks.start();
        context = framework.getBundleContext();
        registry.activate(context);
        httpHandlers.activate(context);
    }

    /** Starts an endpoint with these settings ({@code "name", "a", "swapGracePeriodMillis", 500L, …}) over the test defaults. */
    EndpointComponent endpoint(Object... settings) throws Exception {
        EndpointComponent endpoint = new EndpointComponent(registry, httpHandlers, context, configuration(settings),
                Map.of(Constants.SERVICE_PID, WhiteboardConstants.ENDPOINT_FACTORY_PID + "~test" + endpoints.size()));
        endpoints.add(endpoint);
        return endpoint;
    }

    /**
     * An endpoint configuration as Declarative Services makes one from configuration properties:
     * each attribute the given value, or else its default; 127.0.0.1, a free port and one loop
     * unless given.
     */
    static EndpointConfiguration configuration(Object... settings) {
        Map<String, Object> values = new HashMap<>(Map.of("host", "127.0.0.1", "port", 0, "loops", 1));
        for (int i = 0; i < settings.length; i += 2) {
            values.put((String) settings[i], settings[i + 1]);
        }
        return (EndpointConfiguration) Proxy.newProxyInstance(EndpointConfiguration.class.getClassLoader(),
                new Class<?>[] {EndpointConfiguration.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "annotationType" -> EndpointConfiguration.class;
                    case "toString" -> "EndpointConfiguration " + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    /** Registers {@code handler} with these service properties ({@code ROUTE, "/a", SERVICE_RANKING, 1, …}). */
    ServiceRegistration<ConnectionHandler> register(ConnectionHandler handler, Object... properties) {
        return context.registerService(ConnectionHandler.class, handler, properties(properties));
    }

    static Hashtable<String, Object> properties(Object... keyValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    static long serviceId(ServiceRegistration<?> registration) {
        return (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
    }

    /** Opens a connection to {@code path}, dropped at {@link #close()}; fails if the handshake does. */
    JdkWebSocketClient connect(EndpointComponent endpoint, String path) {
        JdkWebSocketClient client = JdkWebSocketClient.connect(uri(endpoint, path));
        clients.add(client);
        return client;
    }

    /** The HTTP status that refuses a handshake on {@code path}; fails if it is accepted. */
    int refusal(EndpointComponent endpoint, String path) {
        return JdkWebSocketClient.to(uri(endpoint, path)).refusal();
    }

    private static URI uri(EndpointComponent endpoint, String path) {
        return URI.create("ws://127.0.0.1:" + endpoint.address().getPort() + path);
    }

    @Override
    public void close() throws Exception {
        clients.forEach(JdkWebSocketClient::abort);
        endpoints.forEach(EndpointComponent::deactivate);
        httpHandlers.deactivate();
        registry.deactivate();
        Frameworks.stop(framework);
    }
}

package io.switchboard.jakarta.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.PathTemplate;
import io.switchboard.endpoint.Route;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * One deployed Jakarta endpoint: its configuration, path template, coders and open sessions, and
 * the engine's binding that gives each connection a {@link JakartaConnection} of its own.
 * Immutable but for the set of open sessions, which is concurrent.
 */
public final class Deployment {
    private final ServerEndpointConfig config;
    private final PathTemplate template;
    private final AnnotatedModel annotated;
    private final Coders coders;
    private final Container container;
    private final boolean blocking;
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final Route route;
    private final Instances instances;

    /**
     * Where the endpoint objects of sessions come from when a service, not the configurator,
     * provides them (the OSGi whiteboard): {@code get} for each session, {@code unget} when the
     * session ends or is handed to another endpoint.
     */
    public interface Instances {
        Object get();

        void unget(Object instance);
    }

    private Deployment(ServerEndpointConfig config, AnnotatedModel annotated, Container container, boolean blocking,
                       Instances instances) throws DeploymentException {
        this.config = config;
        this.instances = instances;
        this.template = template(config.getPath());
        this.annotated = annotated;
        this.coders = Coders.of(config);
        this.container = container;
        this.blocking = blocking;
        if (annotated != null) {
            annotated.check(coders, template);
        }
        this.route = Route.to(new HandlerBinding() {
            @Override
            public ConnectionHandler acquire() {
                return new JakartaConnection(Deployment.this);
            }

            /** After the connection's end, or when it is handed to another binding (hot swap, setHandler). */
            @Override
            public void release(ConnectionHandler handler) {
                ((JakartaConnection) handler).released();
            }

            @Override
            public boolean blocking() {
                return Deployment.this.blocking;
            }

            @Override
            public String toString() {
                return Deployment.this.toString();
            }
        });
    }

    /** Deploys a class annotated with {@code @ServerEndpoint}. */
    public static Deployment annotated(Class<?> type, Container container, boolean blocking) throws DeploymentException {
        AnnotatedModel model = AnnotatedModel.of(type);
        return new Deployment(withOwnServices(model::config), model, container, blocking, null);
    }

    /**
     * Deploys a configuration: of an {@code Endpoint} subclass, or of an annotated class (the
     * configuration then wins over the annotation's path, coders and configurator).
     */
    public static Deployment configured(ServerEndpointConfig config, Container container, boolean blocking)
            throws DeploymentException {
        Class<?> type = config.getEndpointClass();
        if (type == null) {
            throw new DeploymentException("the configuration for " + config.getPath() + " names no endpoint class");
        }
        AnnotatedModel model = null;
        if (!Endpoint.class.isAssignableFrom(type)) {
            model = AnnotatedModel.of(type);
            model.config(); // the class must be annotated: a plain class has no callbacks
        }
        return new Deployment(config, model, container, blocking, null);
    }

    /**
     * Deploys the class of a service's endpoint objects, which {@code instances} provides: an
     * {@code Endpoint} subclass at {@code path}, or an annotated class at {@code path} if given,
     * else at its {@code @ServerEndpoint} path.
     */
    public static Deployment served(Class<?> type, String path, Container container, boolean blocking, Instances instances)
            throws DeploymentException {
        return withOwnServices(() -> {
            if (Endpoint.class.isAssignableFrom(type)) {
                if (path == null) {
                    throw new DeploymentException(type.getName() + " is an Endpoint and has no path");
                }
                return new Deployment(ServerEndpointConfig.Builder.create(type, template(path).path()).build(), null,
                        container, blocking, instances);
            }
            AnnotatedModel model = AnnotatedModel.of(type);
            ServerEndpointConfig declared = model.config();
            ServerEndpointConfig config = path == null ? declared : ServerEndpointConfig.Builder.create(type, template(path).path())
                    .subprotocols(declared.getSubprotocols())
                    .encoders(declared.getEncoders())
                    .decoders(declared.getDecoders())
                    .configurator(declared.getConfigurator())
                    .build();
            return new Deployment(config, model, container, blocking, instances);
        });
    }

    public PathTemplate template() {
        return template;
    }

    /** Parses an endpoint's path; an invalid one is a deployment error. */
    static PathTemplate template(String path) throws DeploymentException {
        try {
            return PathTemplate.parse(path);
        } catch (IllegalArgumentException e) {
            throw new DeploymentException(e.getMessage());
        }
    }

    public Route route() {
        return route;
    }

    ServerEndpointConfig config() {
        return config;
    }

    Coders coders() {
        return coders;
    }

    Container container() {
        return container;
    }

    boolean blocking() {
        return blocking;
    }

    /** A copy, as the specification asks: the open sessions of this endpoint at the time of the call. */
    Set<Session> openSessions() {
        return Set.copyOf(open);
    }

    void opened(Session session) {
        open.add(session);
    }

    void closed(Session session) {
        open.remove(session);
    }

    /**
     * The endpoint object for a new session: the service's, or else the configurator's (by
     * default a new instance). Given back through {@link #release} when the session ends.
     */
    Object newInstance() throws InstantiationException {
        Object instance = instances != null ? instances.get()
                : withOwnServices(() -> config.getConfigurator().getEndpointInstance(config.getEndpointClass()));
        if (instance == null) {
            throw new InstantiationException("no endpoint instance for " + config.getPath());
        }
        return instance;
    }

    /** The endpoint that serves a session with {@code instance}. */
    Endpoint endpoint(Object instance) {
        return annotated != null ? new AnnotatedEndpoint(annotated, instance) : (Endpoint) instance;
    }

    void release(Object instance) {
        if (instances != null) {
            instances.unget(instance);
        }
    }

    /** A call to a configurator's method, which may throw {@code E}. */
    @FunctionalInterface
    interface Hook<T, E extends Exception> {
        T call() throws E;
    }

    /**
     * Runs a configurator's method, or the API's builder of a configuration, with this bundle's
     * class loader as the context class loader, so that the API's {@code ServiceLoader} finds
     * {@link DefaultConfigurator} (when a configurator calls its super methods, when a builder
     * makes the default one), on a class path and in OSGi alike.
     */
    static <T, E extends Exception> T withOwnServices(Hook<T, E> hook) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(Deployment.class.getClassLoader());
        try {
            return hook.call();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Override
    public String toString() {
        return config.getEndpointClass().getName() + " on " + config.getPath();
    }
}

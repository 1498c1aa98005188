package io.switchboard.whiteboard.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.PathTemplate;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.WhiteboardConstants;
import io.switchboard.whiteboard.runtime.EndpointDTO;

/**
 * One endpoint per factory configuration: creating the configuration starts it, changing it
 * reconfigures it (a new listener only when the address changes), deleting it closes every
 * connection with 1001 and releases the port.
 *
 * <p>It routes each handshake to the best handler service for the path at that moment, and keeps
 * the hot-swap contract when services come and go: a live connection stays with the service that
 * accepted it while that service is registered; when it goes, the connection is handed to the
 * best replacement, or waits with reads paused for one until the swap grace period ends.
 */
@Component(configurationPid = WhiteboardConstants.ENDPOINT_FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = EndpointConfiguration.class, factory = true)
public final class EndpointComponent implements SwitchboardEndpoint {
    private static final System.Logger LOG = System.getLogger(EndpointComponent.class.getName());

    private final HandlerRegistry registry;
    private final HttpHandlerRegistry httpHandlers;
    private final BundleContext context;
    private final String pid;

    private volatile WebSocketServer server;
    private volatile EndpointConfiguration configuration;
    private volatile Map<String, Object> properties = Map.of();
    private ServiceRegistration<SwitchboardEndpoint> registration;

    /** The best handler per route on this endpoint; replaced, never changed. */
    private volatile Routing routing = new Routing(Map.of(), List.of());
    /** When each route lost its last handler, for 503 while a replacement may still come. */
    private final Map<String, Long> vacatedAt = new ConcurrentHashMap<>();

    /**
     * The best handler per route, a path or a template such as {@code /rooms/{room}}: hot swaps
     * and rankings are per route as written. {@code templates} are those routes that have
     * variables, in the order they are tried once no exact path matched; of two that match the
     * same paths (the same literals, other names) the better handler's only.
     */
    private record Routing(Map<String, HandlerEntry> best, List<PathTemplate> templates) {
        /** The best handler for a request path and the values of its template's variables, or null. */
        Route route(String path) {
            HandlerEntry exact = best.get(path);
            if (exact != null && path.indexOf('{') < 0) { // a path with a brace can only be a template's name
                return exact.route();
            }
            for (PathTemplate template : templates) {
                Map<String, String> values = template.match(path);
                if (values != null) {
                    return new Route(best.get(template.path()).binding(), 0, values);
                }
            }
            return null;
        }
    }

    @Activate
    public EndpointComponent(@Reference HandlerRegistry registry, @Reference HttpHandlerRegistry httpHandlers,
                             BundleContext context, EndpointConfiguration configuration,
                             Map<String, Object> componentProperties) throws IOException {
        this.registry = registry;
        this.httpHandlers = httpHandlers;
        this.context = context;
        this.pid = String.valueOf(componentProperties.get(Constants.SERVICE_PID));
        try {
            start(builder(configuration), configuration);
        } catch (RuntimeException | IOException e) {
            // The component runtime logs the failure too, but as a stack trace naming neither.
            LOG.log(Level.WARNING, rejection(configuration, componentProperties, e) + "; endpoint not started");
            throw e;
        }
        registry.attach(this);
        registration = context.registerService(SwitchboardEndpoint.class, this, new Hashtable<>(properties));
    }

    /**
     * Applies a changed configuration, then routes anew: the name and {@code secure} are what
     * handlers' endpoint targets match, so the best handler of a path may change. Re-routing moves
     * no live connection (only a handler that opted in to adopt takes them when it becomes the
     * best); the service properties change last, once new handshakes are routed by them.
     *
     * <p>A configuration that cannot be used (a value of the wrong type or out of range, a
     * keystore that does not load, an address that cannot be bound) is logged in one line naming
     * its file and leaves the endpoint running as it was: thrown, it would have the component
     * runtime stop the endpoint and try the bad configuration again.
     */
    @Modified
    void modified(EndpointConfiguration next, Map<String, Object> componentProperties) {
        EndpointConfiguration current = configuration;
        try {
            WebSocketServer.Builder settings = builder(next); // reads every value, loads the keystore
            if (!current.host().equals(next.host()) || current.port() != next.port()) {
                WebSocketServer old = server;
                start(settings, next); // the new address is bound before the old listener goes
                old.stop();
            } else if (current.loops() != next.loops()) {
                server.stop(); // the same address: the old listener must let it go first
                start(settings, next);
            } else {
                server.reconfigure(settings);
                configuration = next;
                describeAs(next);
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, rejection(next, componentProperties, e)
                    + "; endpoint " + name() + " keeps running as it was");
            return;
        }
        registry.attach(this); // re-announces the handlers, which are matched against the new properties
        registration.setProperties(new Hashtable<>(properties));
    }

    /** What is wrong with {@code next}, in one line: its file (or PID), the property and why. */
    private String rejection(EndpointConfiguration next, Map<String, Object> componentProperties, Exception e) {
        String why = e.toString();
        for (Method property : EndpointConfiguration.class.getDeclaredMethods()) {
            try {
                property.invoke(next);
            } catch (ReflectiveOperationException unreadable) {
                why = property.getName() + " = " + componentProperties.get(property.getName())
                        + " cannot be read as " + property.getReturnType().getSimpleName();
                break;
            }
        }
        return "Rejected " + componentProperties.getOrDefault("felix.fileinstall.filename", pid) + ": " + why;
    }

    @Deactivate
    void deactivate() {
        registry.detach(this);
        registration.unregister();
        server.stop();
    }

    private void start(WebSocketServer.Builder settings, EndpointConfiguration next) throws IOException {
        WebSocketServer started = settings
                .router(this::route)
                .httpHandler(request -> httpHandlers.serve(request, properties))
                .start();
        configuration = next;
        server = started;
        describeAs(next);
    }

    private void describeAs(EndpointConfiguration next) {
        Map<String, Object> described = new HashMap<>();
        described.put(WhiteboardConstants.ENDPOINT_NAME, name(next));
        described.put(WhiteboardConstants.ENDPOINT_HOST, next.host());
        described.put(WhiteboardConstants.ENDPOINT_PORT, server.port());
        described.put(WhiteboardConstants.ENDPOINT_SECURE, secure(next));
        properties = Map.copyOf(described);
    }

    /**
     * Called one change at a time by the registry, with every handler, best first, and
     * {@code removed}, the service that went away, if one did.
     */
    synchronized void handlersChanged(List<HandlerEntry> entries, HandlerEntry removed) {
        Map<String, HandlerEntry> best = new HashMap<>();
        List<PathTemplate> templates = new ArrayList<>();
        for (HandlerEntry entry : entries) { // best first, so the first to claim a route keeps it
            if (entry.serves(properties)) {
                for (String route : entry.routes()) {
                    claim(best, templates, route, entry);
                }
            }
        }
        templates.sort(null);
        Map<String, HandlerEntry> before = routing.best();
        routing = new Routing(Map.copyOf(best), List.copyOf(templates));
        if (removed != null) {
            // Returns once the removed service is no longer called (see WebSocketServer.handOff).
            // The replacement is looked up for each connection's path when its move applies, so a
            // replacement that goes away in between is not tried: the best one then is.
            server.handOff(removed.binding(), path -> {
                Route replacement = routing.route(path);
                return replacement == null ? null : replacement.binding();
            });
            for (String route : removed.routes()) {
                if (!best.containsKey(route) && sameService(before.get(route), removed)) {
                    vacatedAt.put(route, System.nanoTime()); // 503 until a replacement or the grace period ends
                }
            }
        }
        List<String> livePaths = null;
        for (Map.Entry<String, HandlerEntry> claimed : best.entrySet()) {
            String route = claimed.getKey();
            HandlerEntry entry = claimed.getValue();
            vacatedAt.remove(route);
            // A route with a new best handler: connections waiting for one get it, and a handler
            // that opted in takes every connection of the route, however it became the best. A
            // route whose best is the same has no pass over the connections: none of them waits
            // for it but one that could not get it a moment ago, which the endpoint's sweep
            // offers it again. A template's connections are those on paths it is the best for.
            if (!sameService(before.get(route), entry)) {
                if (route.indexOf('{') < 0) {
                    server.adopt(route, entry.binding(), entry.adoptsLiveConnections());
                    continue;
                }
                livePaths = livePaths != null ? livePaths : livePaths();
                for (String path : livePaths) {
                    Route now = routing.route(path);
                    if (now != null && now.binding() == entry.binding()) {
                        server.adopt(path, entry.binding(), entry.adoptsLiveConnections());
                    }
                }
            }
        }
    }

    /** Gives {@code route} to {@code entry} unless a better handler has it, or a template that matches the same paths. */
    private static void claim(Map<String, HandlerEntry> best, List<PathTemplate> templates, String route, HandlerEntry entry) {
        if (best.containsKey(route)) {
            return;
        }
        PathTemplate template = PathTemplate.parse(route); // valid: the entry serves
        if (!template.exact()) {
            for (PathTemplate other : templates) {
                if (other.sameShape(template)) {
                    return;
                }
            }
            templates.add(template);
        }
        best.put(route, entry);
    }

    private List<String> livePaths() {
        Set<String> paths = new HashSet<>();
        for (ConnectionInfo connection : server.connections()) {
            if (connection.path() != null) {
                paths.add(connection.path());
            }
        }
        return List.copyOf(paths);
    }

    private static boolean sameService(HandlerEntry a, HandlerEntry b) {
        return a != null && b != null && a.binding() == b.binding();
    }

    /** Where a handshake goes: the best handler for its path now, else 503 (a route vacated within the grace period) or 404. */
    private Route route(String path) {
        Route best = routing.route(path);
        if (best != null) {
            return best;
        }
        long grace = Duration.ofMillis(configuration.swapGracePeriodMillis()).toNanos();
        for (Map.Entry<String, Long> vacated : vacatedAt.entrySet()) {
            String route = vacated.getKey();
            if (System.nanoTime() - vacated.getValue() < grace
                    && (route.equals(path) || PathTemplate.parse(route).match(path) != null)) {
                return Route.UNAVAILABLE;
            }
        }
        return Route.NOT_FOUND;
    }

    /** The running server, whose loops the SwitchboardClient service's connections may share. */
    WebSocketServer server() {
        return server;
    }

    Set<HandlerEntry> boundEntries() {
        return new HashSet<>(routing.best().values());
    }

    EndpointDTO describe() {
        WebSocketServer running = server;
        EndpointDTO dto = new EndpointDTO();
        dto.name = name();
        dto.host = configuration.host();
        dto.port = running.port();
        dto.secure = secure(configuration);
        Map<String, Integer> perRoute = new TreeMap<>();
        for (ConnectionInfo connection : running.connections()) {
            perRoute.merge(connection.path(), 1, Integer::sum);
        }
        dto.connectionsPerRoute = perRoute;
        return dto;
    }

    @Override
    public String name() {
        return name(configuration);
    }

    @Override
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public boolean secure() {
        return secure(configuration);
    }

    private static boolean secure(EndpointConfiguration c) {
        return !c.tlsKeystore().isEmpty();
    }

    @Override
    public List<ConnectionInfo> connections() {
        return server.connections();
    }

    @Override
    public boolean close(long connectionId, String reason) {
        return server.close(connectionId, 1000, reason);
    }

    private String name(EndpointConfiguration next) {
        return next.name().isEmpty() ? pid : next.name();
    }

    private WebSocketServer.Builder builder(EndpointConfiguration c) throws IOException {
        WebSocketServer.Builder builder = WebSocketServer.builder();
        if (secure(c)) {
            builder.tls(Tls.context(Path.of(c.tlsKeystore()), c.tlsKeystoreType(), c.tlsKeystorePassword().toCharArray()))
                    .tlsProtocols(c.tlsProtocols())
                    .tlsCipherSuites(c.tlsCipherSuites())
                    .needClientAuth(c.tlsNeedClientAuth());
        }
        return builder
                .name(name(c))
                .host(c.host())
                .port(c.port())
                .loops(c.loops() > 0 ? c.loops() : Runtime.getRuntime().availableProcessors())
                .maxMessageSize(c.maxMessageSize())
                .maxFrameSize(c.maxFrameSize() > 0 ? c.maxFrameSize() : -1)
                .maxFragments(c.maxFragments())
                .maxHeaderBytes(c.maxHeaderBytes())
                .maxHeaderCount(c.maxHeaderCount())
                .handshakeTimeout(Duration.ofMillis(c.handshakeTimeoutMillis()))
                .closeTimeout(Duration.ofMillis(c.closeTimeoutMillis()))
                .idleTimeout(Duration.ofMillis(c.idleTimeoutMillis()))
                .pingInterval(Duration.ofMillis(c.pingIntervalMillis()))
                .sendQueue(c.sendLowWater(), c.sendHighWater(), c.sendQueueCap())
                .perMessageDeflate(c.perMessageDeflate())
                .deflateContextTakeover(c.deflateContextTakeover())
                .swapGracePeriod(Duration.ofMillis(c.swapGracePeriodMillis()))
                .detachTimeout(Duration.ofMillis(c.detachTimeoutMillis()))
                .allowedOrigins(c.allowedOrigins())
                .maxConnections(c.maxConnections())
                .maxConnectionsPerAddress(c.maxConnectionsPerAddress());
    }

    @Override
    public String toString() {
        return "endpoint " + name();
    }
}

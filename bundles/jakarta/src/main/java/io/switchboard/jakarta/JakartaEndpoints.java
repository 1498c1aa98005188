package io.switchboard.jakarta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.endpoint.PathTemplate;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.Router;
import io.switchboard.jakarta.internal.Container;
import io.switchboard.jakarta.internal.Deployment;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Jakarta WebSocket 2.2 server endpoints served by a Switchboard {@code WebSocketServer}, without
 * a servlet container: annotated classes ({@code @ServerEndpoint}) and programmatic
 * {@code Endpoint}s with their {@link ServerEndpointConfig}s, routed by their URI templates.
 *
 * <pre>{@code
 * JakartaEndpoints endpoints = JakartaEndpoints.builder()
 *         .add(ChatEndpoint.class)                                   // @ServerEndpoint("/chat/{room}")
 *         .add(ServerEndpointConfig.Builder.create(Echo.class, "/echo").build())
 *         .build();                                                  // DeploymentException if one is invalid
 * WebSocketServer server = WebSocketServer.builder().port(8080).router(endpoints).start();
 * ...
 * server.stop();
 * endpoints.close();
 * }</pre>
 *
 * <p><b>Routing.</b> A path goes to the endpoint whose template matches it: an exact path first,
 * then the templates compared segment by segment from the left, a literal segment before a
 * variable, so the longer literal prefix wins (the specification's order). Other paths get 404.
 *
 * <p><b>Threading.</b> Endpoints are deployed <em>blocking</em> by default: their callbacks run on
 * the server's workers, each connection's order kept, so that a basic remote's send may wait for
 * its write as the specification says. {@link Builder#inline()} runs them on the selector loops
 * instead, faster for endpoints that never block; there, and in a {@code SendHandler}, a basic
 * send returns as soon as the message is queued (in order) rather than wait on the loop that is
 * to write it. The engine's limits, timeouts, send queue cap and Origin policy apply unchanged
 * beneath the Jakarta API. This object is immutable and thread-safe; {@link #route} is called on
 * selector threads and does not block.
 *
 * <p><b>What the engine gives.</b> A {@code MessageHandler.Partial} or a partial
 * {@code @OnMessage} receives the parts of a message as they arrive, never held whole and bound by
 * the engine's frame size only (the session's buffer sizes apply to whole handlers); a
 * {@code Reader} or {@code InputStream} handler receives whole messages. Partial sends, the send
 * stream and the send writer go out as fragments of one message, as they are produced. No unsolicited pongs ({@code sendPong} throws an
 * {@code IOException}). No user principal or HTTP session, as there is no servlet container.
 */
public final class JakartaEndpoints implements Router, AutoCloseable {
    /**
     * The user property, {@code true}, of a session that an endpoint adopted: the connection was
     * opened by another endpoint (or another version of it) and handed over live, so this
     * endpoint's {@code onOpen} comes without a handshake of its own.
     */
    public static final String ADOPTED = "io.switchboard.jakarta.adopted";

    private final Map<String, Route> exact;
    private final List<Deployment> templates;
    private final Container container;

    private JakartaEndpoints(Map<String, Route> exact, List<Deployment> templates, Container container) {
        this.exact = exact;
        this.templates = templates;
        this.container = container;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Route route(String path) {
        Route route = exact.get(path);
        if (route != null) {
            return route;
        }
        for (Deployment deployment : templates) {
            Map<String, String> values = deployment.template().match(path);
            if (values != null) {
                return new Route(deployment.route().binding(), 0, values);
            }
        }
        return Route.NOT_FOUND;
    }

    /**
     * The container the sessions name: its defaults (message buffer sizes, idle timeout, async
     * send timeout) apply to sessions opened after they are set.
     */
    public WebSocketContainer container() {
        return container;
    }

    /** Ends the thread that enforces the sessions' idle timeouts, if one was started. */
    @Override
    public void close() {
        container.close();
    }

    /** Collects endpoints; {@link #build()} deploys them, or fails on the first invalid one. */
    public static final class Builder {
        private final List<Object> added = new ArrayList<>();
        private boolean blocking = true;

        private Builder() {
        }

        /** Adds a class annotated with {@code @ServerEndpoint}. */
        public Builder add(Class<?> annotated) {
            added.add(annotated);
            return this;
        }

        /** Adds a configured endpoint: an {@code Endpoint} subclass, or an annotated class at another path. */
        public Builder add(ServerEndpointConfig config) {
            added.add(config);
            return this;
        }

        /**
         * Runs the endpoints' callbacks on the selector loops rather than on workers: for
         * endpoints that never block, such as an echo. A basic send there does not wait.
         */
        public Builder inline() {
            blocking = false;
            return this;
        }

        /**
         * Deploys the endpoints.
         *
         * @throws DeploymentException naming the endpoint (and the method) that is invalid and why,
         *     or two endpoints whose paths match the same requests
         */
        public JakartaEndpoints build() throws DeploymentException {
            Container container = new Container();
            Map<String, Route> exact = new HashMap<>();
            List<Deployment> templates = new ArrayList<>();
            List<Deployment> all = new ArrayList<>();
            for (Object endpoint : added) {
                Deployment deployment = endpoint instanceof Class<?> type
                        ? Deployment.annotated(type, container, blocking)
                        : Deployment.configured((ServerEndpointConfig) endpoint, container, blocking);
                for (Deployment other : all) {
                    if (other.template().sameShape(deployment.template())) {
                        throw new DeploymentException(deployment + " and " + other + " match the same paths");
                    }
                }
                all.add(deployment);
                PathTemplate template = deployment.template();
                if (template.exact()) {
                    exact.put(template.path(), deployment.route());
                } else {
                    templates.add(deployment);
                }
            }
            templates.sort((a, b) -> a.template().compareTo(b.template()));
            return new JakartaEndpoints(Map.copyOf(exact), List.copyOf(templates), container);
        }
    }
}

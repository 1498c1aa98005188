package io.switchboard.jakarta.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;
import io.switchboard.jakarta.JakartaEndpoints;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * One connection of a Jakarta endpoint, from its handshake to its end: the engine acquires one of
 * these per connection from the {@link Deployment}'s binding, so what {@link #validate} learns
 * (path parameters, the session's configuration) waits here for {@link #connect}.
 *
 * <p>The handshake maps onto the configurator as the specification orders it: the path is
 * matched, then {@code checkOrigin} (false answers 403), {@code getNegotiatedSubprotocol},
 * {@code getNegotiatedExtensions} (informative: the engine negotiates permessage-deflate by its
 * own settings) and last {@code modifyHandshake}, whose response headers join the 101. The
 * engine's Origin policy has already run before any of them.
 *
 * <p><b>Threading.</b> The engine's rules for a handler: callbacks one at a time, each
 * happening-before the next — on a worker if the deployment is blocking, else on the selector
 * loop, which is then marked so that basic sends do not wait there. Every exception of the
 * endpoint's code goes to its {@code onError}, and the session stays open, as the specification
 * has it; the engine's 1011 is left for exceptions of {@code onError} itself.
 */
final class JakartaConnection implements ConnectionHandler {
    private final Deployment deployment;
    private Map<String, String> pathParameters;
    private ServerEndpointConfig sessionConfig;
    private JakartaSession session;
    private Endpoint endpoint;
    private Object instance;

    JakartaConnection(Deployment deployment) {
        this.deployment = deployment;
    }

    @Override
    public void validate(Handshake handshake) {
        pathParameters = deployment.template().matchRaw(handshake.uri().getRawPath());
        if (pathParameters == null) {
            handshake.reject(404, "Not Found");
            return;
        }
        sessionConfig = new SessionConfig(deployment.config());
        ServerEndpointConfig.Configurator configurator = sessionConfig.getConfigurator();
        Deployment.withOwnServices(() -> {
            if (!configurator.checkOrigin(handshake.origin().orElse(null))) {
                handshake.reject(403, "Forbidden");
                return null;
            }
            String subprotocol = configurator.getNegotiatedSubprotocol(sessionConfig.getSubprotocols(),
                    handshake.offeredSubprotocols());
            if (subprotocol != null && !subprotocol.isEmpty()) {
                handshake.selectSubprotocol(subprotocol);
            }
            configurator.getNegotiatedExtensions(List.copyOf(deployment.container().getInstalledExtensions()),
                    JakartaHandshake.offeredExtensions(handshake));
            JakartaHandshake exchange = new JakartaHandshake(handshake);
            configurator.modifyHandshake(sessionConfig, exchange, exchange.response());
            exchange.answer(handshake);
            return null;
        });
    }

    @Override
    public void connect(Connection connection) {
        if (sessionConfig == null) { // adopted: no handshake went through this deployment
            pathParameters = deployment.template().matchRaw(connection.request().uri().getRawPath());
            sessionConfig = new SessionConfig(deployment.config());
            sessionConfig.getUserProperties().put(JakartaEndpoints.ADOPTED, Boolean.TRUE);
            connection.receiveInParts(false, false); // whole, unless this endpoint's handlers ask for parts
        }
        onLoop();
        session = new JakartaSession(deployment, connection, sessionConfig,
                pathParameters == null ? Map.of() : pathParameters);
        try {
            instance = deployment.newInstance();
            endpoint = deployment.endpoint(instance);
        } catch (InstantiationException | RuntimeException e) {
            System.getLogger(JakartaConnection.class.getName()).log(System.Logger.Level.WARNING,
                    "no endpoint instance for " + deployment, e);
            connection.close(CloseStatus.INTERNAL_ERROR, "no endpoint instance");
            return;
        }
        deployment.opened(session);
        try {
            endpoint.onOpen(session, sessionConfig);
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void message(Connection connection, String text) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        try {
            if (!session.text(text)) {
                connection.close(CloseStatus.UNSUPPORTED_DATA, "this endpoint takes no text messages");
            }
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        try {
            if (!session.binary(data)) {
                connection.close(CloseStatus.UNSUPPORTED_DATA, "this endpoint takes no binary messages");
            }
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void part(Connection connection, String text, boolean last) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        try {
            session.textPart(text, last);
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void part(Connection connection, ByteBuffer data, boolean last) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        try {
            session.binaryPart(data, last);
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void pong(Connection connection, ByteBuffer payload) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        try {
            session.pong(payload);
        } catch (Throwable e) {
            endpoint.onError(session, e);
        }
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        if (endpoint == null) {
            return;
        }
        onLoop();
        deployment.closed(session);
        try {
            endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.getCloseCode(status.code()), status.reason()));
        } catch (Throwable e) {
            endpoint.onError(session, e);
        } finally {
            session.ended();
        }
    }

    /**
     * The engine no longer uses this handler: the connection ended, or moved to another binding
     * without a {@code disconnect} here. Its session leaves the open sessions either way, and its
     * endpoint object goes back to where it came from (a prototype service's is ungot).
     */
    void released() {
        if (session != null) {
            deployment.closed(session);
            session.ended();
        }
        if (instance != null) {
            deployment.release(instance);
        }
    }

    @Override
    public void failure(Connection connection, Throwable cause) {
        // Only onError itself can have thrown: it is not asked again, the engine closes with 1011.
    }

    private void onLoop() {
        if (!deployment.blocking()) {
            Remotes.markLoopThread();
        }
    }

    @Override
    public String toString() {
        return deployment.toString();
    }
}

package io.switchboard.whiteboard.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.Bundle;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Request;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.whiteboard.SwitchboardClient;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;

/**
 * One bundle's {@link SwitchboardClient}: a {@link WebSocketClient} per configuration and loops
 * it has connected with, each sharing loops it does not own (an endpoint's, or the component's own
 * loop), so that closing them closes exactly this bundle's connections.
 *
 * <p>Thread-safe: any of the bundle's threads may connect; the framework calls {@link #close}.
 * The clients' list changes under this object's lock.
 */
final class BundleClient implements SwitchboardClient {
    private final ClientComponent component;
    private final Bundle bundle;
    /**
     * Every client this bundle has connected with, the current one last. Those of earlier settings
     * stay until {@link #close}: they hold connections that live on, and cost a few objects each
     * (one per configuration change or endpoint restart).
     */
    private final List<WebSocketClient> clients = new ArrayList<>();
    private ClientConfiguration builtFrom;
    private WebSocketServer builtOn;
    private boolean closed;

    BundleClient(ClientComponent component, Bundle bundle) {
        this.component = component;
        this.bundle = bundle;
    }

    @Override
    public CompletionStage<Connection> connect(URI uri, ConnectionHandler handler) {
        return connect(uri, List.of(), List.of(), handler);
    }

    @Override
    public CompletionStage<Connection> connect(URI uri, List<String> subprotocols, List<String[]> headers,
                                               ConnectionHandler handler) {
        WebSocketClient client;
        try {
            client = current();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.connect(uri, subprotocols, headers, handler);
    }

    /** The client for the settings and loops of now, made if they changed since the last connect. */
    private synchronized WebSocketClient current() throws IOException {
        if (closed) {
            throw new IOException("the SwitchboardClient service was released by " + bundle.getSymbolicName());
        }
        ClientConfiguration configuration = component.configuration();
        WebSocketServer endpoint = component.endpointLoops();
        if (clients.isEmpty() || builtFrom != configuration || builtOn != endpoint) {
            WebSocketClient.Builder builder = ClientComponent.builder(configuration);
            WebSocketClient client = (endpoint != null ? builder.loopsOf(endpoint) : builder.loopsOf(component.ownLoops())).build();
            clients.add(client);
            builtFrom = configuration;
            builtOn = endpoint;
        }
        return clients.get(clients.size() - 1);
    }

    @Override
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        for (WebSocketClient client : snapshot()) {
            all.addAll(client.connections());
        }
        return all;
    }

    /** Adds this bundle's open connections to {@code into}. */
    void describe(List<ClientConnectionDTO> into) {
        for (Connection connection : connections()) {
            Request request = connection.isOpen() ? connection.request() : null;
            if (request != null) {
                ClientConnectionDTO dto = new ClientConnectionDTO();
                dto.id = connection.id();
                dto.uri = (request.secure() ? "wss://" : "ws://") + request.header("Host").orElse("") + request.uri();
                dto.remoteAddress = request.remoteAddress().getHostString() + ":" + request.remoteAddress().getPort();
                dto.bundleId = bundle.getBundleId();
                into.add(dto);
            }
        }
    }

    /** Closes every connection the bundle opened with 1001, waiting up to the close timeout for their closing handshakes. */
    void close() {
        List<WebSocketClient> opened;
        synchronized (this) {
            closed = true;
            opened = List.copyOf(clients);
        }
        for (WebSocketClient client : opened) {
            client.close();
        }
    }

    private synchronized List<WebSocketClient> snapshot() {
        return List.copyOf(clients);
    }
}

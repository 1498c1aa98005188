package io.switchboard.whiteboard;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * Opens outbound WebSocket connections for the bundle that got this service, with the limits,
 * timeouts, send queue, permessage-deflate offer, TLS trust and proxy of the configuration
 * {@value WhiteboardConstants#CLIENT_PID} (every value has a default, so the service is there
 * without one). A changed configuration applies to connections opened from then on.
 *
 * <p><b>Loops.</b> Connections run on the selector loops of the endpoint the whiteboard has run
 * longest, if one runs: a bundle opens connections without a thread more, and the connections are
 * served as the endpoint's own are. Stopping or moving that endpoint (its configuration deleted,
 * or a new address) closes them with 1001 as it closes its own, so a bundle reconnects as it
 * would after any network failure; connections opened after that run on the next endpoint's
 * loops. With no endpoint, they run on one loop of the client's own, started on the first connect.
 *
 * <p><b>Scope.</b> Each bundle gets its own instance. When the bundle ungets it, or stops, every
 * connection it opened is closed with 1001 (going away); a connect after that fails.
 *
 * <p>The handler's callbacks run on the connection's loop, as those of a handler that is not
 * {@link WhiteboardConstants#BLOCKING blocking}: they must not block. Thread-safe.
 */
@ProviderType
public interface SwitchboardClient {

    /** Connects without subprotocols or extra headers; see {@link #connect(URI, List, List, ConnectionHandler)}. */
    CompletionStage<Connection> connect(URI uri, ConnectionHandler handler);

    /**
     * Connects to a {@code ws://} or {@code wss://} URI. The stage completes once the server's 101
     * has been checked and {@code handler}'s {@code connect} called; it fails with what
     * {@code io.switchboard.endpoint.WebSocketClient.connect} names: a {@code ConnectException},
     * an {@code UnknownHostException}, a {@code SocketTimeoutException} (the configured connect
     * or handshake timeout), a {@code WebSocketHandshakeException} (any answer but the 101
     * asked for, a proxy's 407 included), an {@code SSLHandshakeException}, or an
     * {@code IOException} if the server left or this service was released.
     *
     * @param subprotocols subprotocols to offer, best first
     * @param headers      extra request headers, each {@code {name, value}}
     * @throws IllegalArgumentException if the URI is not ws or wss with a host, or a header or
     *                                  subprotocol could not be sent as given
     */
    CompletionStage<Connection> connect(URI uri, List<String> subprotocols, List<String[]> headers,
                                        ConnectionHandler handler);

    /** The connections this bundle opened that have not ended, those still connecting included. */
    List<Connection> connections();
}

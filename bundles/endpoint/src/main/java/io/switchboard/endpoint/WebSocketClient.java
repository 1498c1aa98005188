package io.switchboard.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.internal.ClientConnector;
import io.switchboard.endpoint.internal.ClientSettings;
import io.switchboard.endpoint.internal.Endpoint;
import io.switchboard.endpoint.internal.Settings;

/**
 * Opens WebSocket connections to servers, with the same {@link ConnectionHandler} and
 * {@link Connection} API, limits and timeouts as {@link WebSocketServer}'s connections:
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.builder().build();
 * Connection connection = client.connect(URI.create("wss://example.com/feed"), handler)
 *         .get(15, TimeUnit.SECONDS);
 * connection.send("subscribe");
 * ...
 * client.close();
 * }</pre>
 *
 * Its connections run on selector loops of its own, or on those of a server in the same JVM
 * ({@link Builder#loopsOf}); either way the handler's callbacks follow the rules of
 * {@link ConnectionHandler}, and sends may come from any thread. The client masks every frame it
 * sends (with keys from a generator seeded from {@code SecureRandom}) and fails with 1002 a
 * connection whose server masks one. {@link #close()} closes every connection with 1001 and
 * stops the client's own loops, which, as a server's, run on non-daemon threads: a client keeps
 * the JVM alive until it is closed. Thread-safe.
 */
public final class WebSocketClient implements AutoCloseable {
    private final ClientConnector connector;
    private final List<String> subprotocols;
    private final List<String[]> headers;

    private WebSocketClient(ClientConnector connector, List<String> subprotocols, List<String[]> headers) {
        this.connector = connector;
        this.subprotocols = subprotocols;
        this.headers = headers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects with the builder's subprotocols and headers; see {@link #connect(URI, List, List, ConnectionHandler)}. */
    public CompletableFuture<Connection> connect(URI uri, ConnectionHandler handler) {
        return connect(uri, subprotocols, headers, handler);
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI. The future completes once the server's
     * 101 has been checked and {@code handler}'s {@code connect} called (on the connection's loop,
     * where dependent stages that are not async run too: they must not block). It fails with:
     * <ul>
     * <li>{@link java.net.ConnectException} if no TCP connection could be made, or
     *     {@link java.net.UnknownHostException} for a host that does not resolve;
     * <li>{@link java.net.SocketTimeoutException} if the connect timeout or the handshake timeout
     *     passed first;
     * <li>{@link io.switchboard.handshake.WebSocketHandshakeException} for an answer other than
     *     the 101 this request asked for: another status (a redirect with its {@code Location},
     *     not followed), a missing or wrong {@code Upgrade}, {@code Connection} or
     *     {@code Sec-WebSocket-Accept}, a subprotocol or extension that was not offered;
     * <li>{@link javax.net.ssl.SSLHandshakeException} if TLS fails, for instance a certificate
     *     that is not for the URI's host;
     * <li>another {@link IOException} if the server closed the connection first.
     * </ul>
     *
     * @param subprotocols subprotocols to offer, best first (the connection's
     *                     {@link Connection#subprotocol()} is the one the server chose, or empty)
     * @param headers      extra request headers, each {@code {name, value}}, such as
     *                     {@code Origin} or {@code Authorization}
     * @throws IllegalArgumentException if the URI is not ws or wss with a host, or a header or
     *                                  subprotocol could not be sent as given
     */
    public CompletableFuture<Connection> connect(URI uri, List<String> subprotocols, List<String[]> headers,
                                                 ConnectionHandler handler) {
        return connector.connect(uri, Objects.requireNonNull(handler, "handler"), subprotocols, headers);
    }

    /** The client's connections, those still connecting included. */
    public List<Connection> connections() {
        return connector.connections();
    }

    /**
     * Closes every connection with 1001 (going away), waits for their closing handshakes up to
     * the close timeout, and stops the client's own loops; connects after it fail.
     */
    @Override
    public void close() {
        connector.close();
    }

    public static final class Builder extends ConnectionOptions<Builder> {
        private static final AtomicInteger CLIENTS = new AtomicInteger();

        private String name = "client" + CLIENTS.incrementAndGet();
        private int loops = 1;
        /** Loops shared with a server or another client; null for the client's own. */
        private Endpoint shared;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private SSLContext tls;
        private PerMessageDeflate deflateOffer;
        private boolean blocking;
        private InetSocketAddress proxy;
        private String proxyAuthorization;
        private int workers = 4;
        private List<String> subprotocols = List.of();
        private final List<String[]> headers = new ArrayList<>();

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Names the client's loop threads. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Selector loops of the client's own; default 1. */
        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        /**
         * Runs the connections on {@code server}'s selector loops instead of the client's own: no
         * thread more. Stopping the server closes them with 1001, as it does its own.
         */
        public Builder loopsOf(WebSocketServer server) {
            this.shared = server.endpoint();
            return this;
        }

        /**
         * Runs the connections on the loops {@code client} runs its own on (those of its server,
         * if it shares one): clients with different settings, one set of threads. Closing
         * {@code client} closes them with 1001 when those loops are its own.
         */
        public Builder loopsOf(WebSocketClient client) {
            this.shared = client.connector.loops();
            return this;
        }

        /** How long the TCP connect may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long from the connect to the server's whole 101 (TLS included); default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The keys and trust for wss (a client certificate comes with the context's key
         * managers); default: the JDK's default context. The server's certificate is checked
         * against the URI's host either way.
         */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Offers permessage-deflate with these parameters (for instance {@code new
         * PerMessageDeflate(false, false)}: context takeover both ways); default: no offer. The
         * server's answer must keep within the offer (RFC 7692 §7.1), or the connect fails.
         */
        public Builder perMessageDeflate(PerMessageDeflate offer) {
            this.deflateOffer = offer;
            return this;
        }

        /** Subprotocols to offer on every connect, best first; default none. */
        public Builder subprotocols(String... subprotocols) {
            this.subprotocols = List.of(subprotocols);
            return this;
        }

        /** A header to send with every upgrade request. */
        public Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /**
         * Connects through the HTTP proxy at {@code address}, which opens a tunnel to the server
         * ({@code CONNECT}); a wss connection's TLS then runs end to end through it. Default: direct.
         * The proxy's answer counts against the handshake timeout; one other than 2xx fails the
         * connect with a {@link io.switchboard.handshake.WebSocketHandshakeException} of its status.
         */
        public Builder proxy(InetSocketAddress address) {
            this.proxy = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Connects through the HTTP proxy at {@code address} as {@link #proxy(InetSocketAddress)}
         * does, sending {@code user} and {@code password} with each {@code CONNECT} in a
         * {@code Proxy-Authorization} header (Basic, RFC 7617, in UTF-8; sent at once, since a
         * proxy that wants them would otherwise cost a refused round trip per connection). A
         * proxy that still answers 407 fails the connect with a
         * {@link io.switchboard.handshake.WebSocketHandshakeException} of status 407 whose message
         * names the proxy's challenges ({@code Proxy-Authenticate}).
         *
         * @throws IllegalArgumentException if {@code user} contains a colon, which Basic cannot carry
         */
        public Builder proxy(InetSocketAddress address, String user, String password) {
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a Basic user name cannot contain ':'");
            }
            this.proxyAuthorization = "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return proxy(address);
        }

        /** Whether handlers' callbacks may block, so that they run on worker threads; default false. */
        public Builder blocking(boolean blocking) {
            this.blocking = blocking;
            return this;
        }

        /** Worker threads for blocking handlers on the client's own loops; default 4. */
        public Builder workers(int threads) {
            this.workers = threads;
            return this;
        }

        /**
         * Starts the client's loops (none with {@link #loopsOf}).
         *
         * @throws IOException if a selector cannot be opened
         * @throws IllegalArgumentException if a setting is out of range
         */
        public WebSocketClient build() throws IOException {
            Settings connection = new Settings(null, 0, loops, decoderLimits(),
                    8192, 100, handshakeTimeout, closeTimeout, idleTimeout, pingInterval,
                    sendLowWater, sendHighWater, sendQueueCap, false, false, Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Set.of(), 65_536, 65_536, null);
            ClientSettings settings = new ClientSettings(connection, connectTimeout, tls, deflateOffer, blocking, proxy,
                    proxyAuthorization);
            Endpoint endpoint = shared != null ? shared
                    : Endpoint.loopsOnly(name, connection, WebSocketServer.Builder.workerPool(name, workers));
            return new WebSocketClient(new ClientConnector(endpoint, shared == null, settings),
                    subprotocols, List.copyOf(headers));
        }
    }
}

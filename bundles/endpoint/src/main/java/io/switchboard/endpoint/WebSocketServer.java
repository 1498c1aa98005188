package io.switchboard.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.HttpHandler;
import io.switchboard.endpoint.internal.DaemonPools;
import io.switchboard.endpoint.internal.Endpoint;
import io.switchboard.endpoint.internal.Settings;
import io.switchboard.endpoint.internal.TlsSettings;

/**
 * A running WebSocket server. Build and start one with {@link #builder()}:
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .route("/echo", new Echo())
 *         .start();
 * ...
 * server.stop();
 * }</pre>
 *
 * A running server keeps the JVM alive until {@link #stop()}: its selector loops run on
 * non-daemon threads, so a {@code main} method may return once the server has started, and the
 * program serves until it is stopped (a shutdown hook that calls {@code stop()} makes Ctrl-C or
 * SIGTERM close connections cleanly). The worker threads of blocking handlers are daemon threads
 * and hold nothing up.
 *
 * <p>Stopping closes every connection with 1001 (going away), waits for their closing handshakes
 * up to the close timeout, then releases the port and every thread. A stopped server cannot be
 * restarted; build a new one (in the same JVM, on the same port, at once).
 */
public final class WebSocketServer implements AutoCloseable {
    private final Endpoint endpoint;

    private WebSocketServer(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address the server listens on, with the actual port if 0 was asked for. */
    public InetSocketAddress address() {
        return endpoint.address();
    }

    /** Its endpoint, whose loops a {@link WebSocketClient} may share. */
    Endpoint endpoint() {
        return endpoint;
    }

    /** The port the server listens on. */
    public int port() {
        return address().getPort();
    }

    /**
     * Hands every live connection bound to {@code from} to the binding that {@code replacement}
     * names for its path (asked when the move applies, on the connection's loop), between two of
     * its messages; the new handler's {@code adopt} is called first. Where {@code replacement}
     * names null, or its handler cannot be had, the connection waits with reads paused until
     * {@link #adopt} gives it a binding, or is closed with 1001 when the swap grace period ends.
     *
     * <p>Returns once no handler instance of {@code from} is called any more and every one is
     * released: it waits for callbacks running on them, up to the detach timeout (a connection
     * whose callback is still running then is closed with 1011). A message the client sends after
     * the return goes to the replacement, or waits for one.
     */
    public void handOff(HandlerBinding from, Function<String, HandlerBinding> replacement) {
        endpoint.handOff(from, replacement);
    }

    /**
     * Binds the connections on {@code path} that wait for a handler to {@code to}; with
     * {@code everyConnection}, every connection on the path, wherever it is bound. Returns once
     * the handlers it displaced are no longer called, as {@link #handOff} does.
     */
    public void adopt(String path, HandlerBinding to, boolean everyConnection) {
        endpoint.adopt(path, to, everyConnection);
    }

    /**
     * Starts the closing handshake of one live connection.
     *
     * @return false if no live connection has that id
     */
    public boolean close(long connectionId, int code, String reason) {
        return endpoint.close(connectionId, code, reason);
    }

    /** A snapshot of the live connections it accepted (not those of clients sharing its loops). */
    public List<ConnectionInfo> connections() {
        return endpoint.connections();
    }

    /**
     * Applies the limits, timeouts and other settings of {@code settings} to the connections
     * accepted from now on. Its routes and HTTP handler are ignored: the router stays.
     *
     * @throws IllegalArgumentException if it names another host, port or number of loops, which
     *                                  take a new server
     */
    public void reconfigure(Builder settings) {
        endpoint.reconfigure(settings.settings());
    }

    /** Closes every connection with 1001 and releases the port and the threads; waits for it. */
    public void stop() {
        endpoint.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Configures a server. Every setting has a default, documented on its method; the defaults
     * are safe for a server on the open internet.
     */
    public static final class Builder extends ConnectionOptions<Builder> {
        private static final AtomicInteger SERVERS = new AtomicInteger();

        private String name = "ws" + SERVERS.incrementAndGet();
        private String host = "";
        private int port = 8080;
        private int loops = Runtime.getRuntime().availableProcessors();
        private int maxHeaderBytes = 8192;
        private int maxHeaderCount = 100;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private boolean perMessageDeflate;
        private boolean deflateContextTakeover;
        private Duration swapGracePeriod = Duration.ofSeconds(30);
        private Duration detachTimeout = Duration.ofSeconds(5);
        private Set<String> allowedOrigins = Set.of();
        private int maxConnections = 65_536;
        private int maxConnectionsPerAddress = 4096;
        private SSLContext tlsContext;
        private Executor tlsTasks;
        private List<String> tlsProtocols = List.of();
        private List<String> tlsCipherSuites = List.of();
        private boolean needClientAuth;
        private Router router;
        private int workers = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private final Map<String, Route> routes = new HashMap<>();
        private HttpHandler httpHandler;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** A name for the server's threads; default {@code ws1}, {@code ws2}, … */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The address to listen on; default: every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; default 8080; 0 picks a free one (see {@link WebSocketServer#port()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The number of selector loops (threads) sharing the connections; default: one per processor. */
        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        /** The largest opening request head, in bytes; default 8 KiB. Larger gets 431. */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = bytes;
            return this;
        }

        /** The most header fields in an opening request; default 100. More gets 431. */
        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = count;
            return this;
        }

        /**
         * How long a client has from connecting to finishing its request head; default 10 s. Not
         * extended by bytes that trickle in (slowloris). Past it the client gets 408.
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Whether to accept permessage-deflate (RFC 7692) offers; default false. */
        public Builder perMessageDeflate(boolean enabled) {
            this.perMessageDeflate = enabled;
            return this;
        }

        /**
         * Whether compression contexts may last from one message to the next, where the client
         * allows it: better ratios for small, similar messages, for about 300 KB of zlib memory
         * per connection. Default false: the server answers every offer with
         * {@code server_no_context_takeover} and {@code client_no_context_takeover} (RFC 7692
         * §7.1.1), so a connection borrows zlib state from its loop for each message and keeps
         * none between messages, and a broadcast is compressed once for all its members.
         */
        public Builder deflateContextTakeover(boolean allowed) {
            this.deflateContextTakeover = allowed;
            return this;
        }

        /**
         * How long a connection whose handler went away waits for a replacement, reads paused,
         * before it is closed with 1001; default 30 s. Only a {@link #router} takes handlers away.
         */
        public Builder swapGracePeriod(Duration period) {
            this.swapGracePeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /**
         * How long {@link WebSocketServer#handOff} and {@link WebSocketServer#adopt} wait for the
         * callbacks running on a departing handler to return; default 5 s. A connection whose
         * callback is still running then (a blocking handler stuck in I/O) is closed with 1011,
         * and that handler is never called again.
         */
        public Builder detachTimeout(Duration timeout) {
            this.detachTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Routes handshakes through {@code router} instead of fixed routes, for handlers that
         * come and go (the OSGi whiteboard does this).
         */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * Browser origins admitted besides the server's own, such as {@code https://example.com};
         * {@code *} admits every origin. Requests without {@code Origin} (non-browser clients) and
         * same-origin requests are always admitted; any other gets 403. Default: none.
         */
        public Builder allowedOrigins(String... origins) {
            this.allowedOrigins = Set.of(origins);
            return this;
        }

        /** Connections the server holds at most; handshakes beyond get 503. Default 65,536. */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Connections one remote address holds at most; its handshakes beyond get 503. Default
         * 4096, which leaves room for many users behind one NAT.
         */
        public Builder maxConnectionsPerAddress(int connections) {
            this.maxConnectionsPerAddress = connections;
            return this;
        }

        /**
         * Speaks TLS (wss) with the keys and trust of {@code context}; default: plain ws. The TLS
         * handshake runs inside the selector loops, with no thread per connection.
         */
        public Builder tls(SSLContext context) {
            this.tlsContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The TLS protocols to enable, such as {@code TLSv1.3}; default: the JDK's. */
        public Builder tlsProtocols(String... protocols) {
            this.tlsProtocols = List.of(protocols);
            return this;
        }

        /** The TLS cipher suites to enable; default: the JDK's. */
        public Builder tlsCipherSuites(String... suites) {
            this.tlsCipherSuites = List.of(suites);
            return this;
        }

        /** Whether clients must present a certificate the TLS context trusts; default false. */
        public Builder needClientAuth(boolean need) {
            this.needClientAuth = need;
            return this;
        }

        /**
         * Where the TLS handshake's heavy steps (the key exchange and the signature, the engine's
         * delegated tasks) run, so that a loop serves its other connections meanwhile. Default:
         * the endpoint's own pool, a daemon thread per processor, ended with the endpoint;
         * {@code Runnable::run} runs them on the loop.
         */
        public Builder tlsTasks(Executor executor) {
            this.tlsTasks = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Threads for the callbacks of blocking handlers; default twice the processors, at least 4. */
        public Builder workers(int threads) {
            this.workers = threads;
            return this;
        }

        /**
         * Sends handshakes for {@code path} to {@code handler}, whose callbacks must not block. The
         * path may be a template such as {@code /rooms/{room}}: an exact path wins over a template,
         * a longer literal prefix over a shorter one, and the matched values are in
         * {@code Request.pathParameters()}.
         */
        public Builder route(String path, ConnectionHandler handler) {
            return route(path, handler, false);
        }

        /** Sends handshakes for {@code path} to {@code handler}, whose callbacks may block: they run on workers. */
        public Builder blockingRoute(String path, ConnectionHandler handler) {
            return route(path, handler, true);
        }

        /** Answers plain HTTP requests (no {@code Upgrade}), for instance to serve a page. */
        public Builder httpHandler(HttpHandler handler) {
            this.httpHandler = handler;
            return this;
        }

        /**
         * Binds the port and starts the server.
         *
         * @throws IOException if the port cannot be bound
         * @throws IllegalArgumentException if a setting is out of range
         */
        public WebSocketServer start() throws IOException {
            if (router != null && !routes.isEmpty()) {
                throw new IllegalStateException("give either routes or a router, not both");
            }
            Router chosen = router != null ? router : fixedRouter(Map.copyOf(routes));
            return new WebSocketServer(Endpoint.start(name, settings(), chosen, httpHandler, workerPool(name, workers)));
        }

        private Settings settings() {
            return new Settings(host, port, loops, decoderLimits(),
                    maxHeaderBytes, maxHeaderCount, handshakeTimeout, closeTimeout, idleTimeout, pingInterval,
                    sendLowWater, sendHighWater, sendQueueCap, perMessageDeflate, deflateContextTakeover,
                    swapGracePeriod, detachTimeout,
                    allowedOrigins, maxConnections, maxConnectionsPerAddress,
                    tlsContext == null ? null : new TlsSettings(tlsContext, tlsProtocols, tlsCipherSuites, needClientAuth, tlsTasks));
        }

        /**
         * Exact paths first, then the routes with variables, such as {@code /rooms/{room}}, in the
         * order {@link PathTemplate} gives, their values in the connection's request.
         */
        private static Router fixedRouter(Map<String, Route> routes) {
            List<PathTemplate> templates = new ArrayList<>();
            for (String path : routes.keySet()) {
                PathTemplate template = PathTemplate.parse(path);
                for (PathTemplate other : templates) {
                    if (other.sameShape(template)) {
                        throw new IllegalArgumentException("the routes " + other + " and " + path + " match the same paths");
                    }
                }
                if (!template.exact()) {
                    templates.add(template);
                }
            }
            templates.sort(null);
            return path -> {
                Route exact = routes.get(path);
                if (exact != null && path.indexOf('{') < 0) { // a path with a brace can only be a template's name
                    return exact;
                }
                for (PathTemplate template : templates) {
                    Map<String, String> values = template.match(path);
                    if (values != null) {
                        return new Route(routes.get(template.path()).binding(), 0, values);
                    }
                }
                return Route.NOT_FOUND;
            };
        }

        private Builder route(String path, ConnectionHandler handler, boolean blocking) {
            PathTemplate.parse(path); // refuses what is not a path or a template, naming why
            routes.put(path, Route.to(HandlerBinding.of(Objects.requireNonNull(handler, "handler"), blocking)));
            return this;
        }

        /** Daemon threads for blocking handlers' callbacks, made when needed, gone when idle. */
        static ExecutorService workerPool(String name, int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, was " + workers);
            }
            return DaemonPools.of("switchboard-worker-" + name, workers);
        }
    }
}

package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.handshake.ClientUpgrade;
import io.switchboard.handshake.HttpException;
import io.switchboard.handshake.HttpRequestParser;

/**
 * Opens outbound connections on an endpoint's selector loops — a server's, shared, or the
 * client's own — and keeps track of them until they end, so that closing the client closes them
 * with 1001. Thread-safe: {@link #connect} may be called from any thread, a handler's callbacks
 * included (it never blocks on the loop; resolving a host name is the one wait, on the caller).
 */
public final class ClientConnector {
    private final Endpoint loops;
    private final boolean ownLoops;
    private final ClientSettings settings;
    /** Every connection from its first loop turn to its end: connecting, open or closing. */
    private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
    /** Completed once the client is closed and its last connection has ended. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean closed;

    /**
     * @param ownLoops whether the loops are the client's own, which {@link #close()} stops
     */
    public ClientConnector(Endpoint loops, boolean ownLoops, ClientSettings settings) {
        this.loops = loops;
        this.ownLoops = ownLoops;
        this.settings = settings;
    }

    /** The loops its connections run on, which other clients may share. */
    public Endpoint loops() {
        return loops;
    }

    ClientSettings settings() {
        return settings;
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI; see {@code WebSocketClient.connect}.
     *
     * @throws IllegalArgumentException if the URI is not a ws or wss URI with a host, or a header or
     *                                  subprotocol could not be sent as given
     */
    public CompletableFuture<Connection> connect(URI uri, ConnectionHandler handler, List<String> subprotocols,
                                                 List<String[]> headers) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss");
        if (!(secure || scheme.equals("ws")) || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI with a host and no fragment: " + uri);
        }
        int port = uri.getPort() < 0 ? (secure ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + port;
        ClientUpgrade upgrade = new ClientUpgrade(host, target, subprotocols, settings.deflateOffer(), headers);
        ClientOpening opening;
        try {
            opening = new ClientOpening(this, uri, handler, upgrade, new HttpRequestParser().parse(upgrade.request()));
        } catch (HttpException e) {
            throw new IllegalArgumentException("the upgrade request would not be readable: " + e.getMessage(), e);
        }
        if (closed) {
            opening.failed(new IOException("the client is closed"));
            return opening.future;
        }
        InetSocketAddress address = settings.proxy() != null ? settings.proxy()
                : new InetSocketAddress(unbracketed(uri.getHost()), port); // resolves, on this thread
        SocketChannel channel = null;
        try {
            if (address.isUnresolved()) {
                throw new UnknownHostException(uri.getHost());
            }
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            closeQuietly(channel);
            opening.failed(e);
            return opening.future;
        }
        SelectorLoop loop = loops.nextOutboundLoop();
        SocketChannel socket = channel;
        loop.execute(() -> loop.connect(opening, socket, address));
        return opening.future;
    }

    /**
     * A client engine for {@code uri}: the host name verified against the server's certificate
     * (as HTTPS does) and sent as SNI unless it is an IP address.
     */
    SSLEngine engine(URI uri) throws IOException {
        SSLContext context = settings.tls();
        try {
            context = context != null ? context : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
        String host = unbracketed(uri.getHost());
        SSLEngine engine = context.createSSLEngine(host, uri.getPort() < 0 ? 443 : uri.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isAddress(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    void track(WsConnection connection) throws IOException {
        connections.add(connection);
        if (closed) {
            throw new IOException("the client is closed");
        }
    }

    void forget(WsConnection connection) {
        if (connections.remove(connection) && closed && connections.isEmpty()) {
            drained.complete(null);
        }
    }

    /** A snapshot of the client's connections, those still connecting included. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Closes every connection with 1001 (a connection still in its handshake at once), waits for
     * their closing handshakes up to the close timeout, and stops the client's own loops.
     */
    public void close() {
        closed = true;
        if (ownLoops) {
            loops.stop(); // closes the connections the same way, and waits
            return;
        }
        for (WsConnection connection : connections) {
            connection.runOnLoop(connection::goAway);
        }
        if (connections.isEmpty()) {
            drained.complete(null);
        }
        try {
            drained.get(settings.connection().closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the loops close what is left when their close timeouts pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A URI's host without the brackets of an IPv6 literal. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An IPv4 or IPv6 literal, which SNI may not carry (RFC 6066 §3). */
    private static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // failing anyway
            }
        }
    }
}

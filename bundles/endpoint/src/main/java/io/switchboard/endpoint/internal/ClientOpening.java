package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.handshake.ClientUpgrade;
import io.switchboard.handshake.HttpException;
import io.switchboard.handshake.HttpRequest;
import io.switchboard.handshake.HttpResponseHead;
import io.switchboard.handshake.HttpResponseParser;
import io.switchboard.handshake.WebSocketHandshakeException;

/**
 * The opening handshake of an outbound connection: the TCP connect (within the connect timeout),
 * then, within the handshake timeout, the tunnel through an HTTP proxy if there is one
 * ({@code CONNECT}), the TLS handshake of wss, the upgrade request and the server's answer,
 * checked by {@link ClientUpgrade}. It ends with the connection open and
 * {@link #future} complete, or with the socket closed and the future failed with why: a
 * {@link ConnectException}, a {@link SocketTimeoutException}, a {@link WebSocketHandshakeException},
 * the TLS engine's {@code SSLHandshakeException}, or an {@code IOException} if the server left.
 *
 * <p>Once open, it stays the connection's {@link HandlerBinding}: the handler it was given, released
 * (the client forgets the connection) when the connection ends. Made on the caller's thread; from
 * then on <b>loop thread only</b>.
 */
final class ClientOpening implements Opening, HandlerBinding {
    final CompletableFuture<Connection> future = new CompletableFuture<>();
    private final ClientConnector client;
    private final URI uri;
    private final ConnectionHandler handler;
    private ClientUpgrade upgrade;
    /** The request as sent, read back: what {@link Connection#request()} shows. */
    private HttpRequest sent;
    private HttpResponseParser parser;
    private WsConnection connection;
    private boolean connected;
    /** Through a proxy, until it has opened the tunnel; else null. */
    private ProxyTunnel tunnel;

    ClientOpening(ClientConnector client, URI uri, ConnectionHandler handler, ClientUpgrade upgrade, HttpRequest sent) {
        this.client = client;
        this.uri = uri;
        this.handler = handler;
        this.upgrade = upgrade;
        this.sent = sent;
        Settings settings = client.settings().connection();
        this.parser = new HttpResponseParser(settings.maxHeaderBytes(), settings.maxHeaderCount());
    }

    /** The connection for {@code channel}, connecting, on {@code loop}; its deadline is the connect timeout's. */
    WsConnection connectionOn(SelectorLoop loop, SocketChannel channel) throws IOException {
        boolean secure = uri.getScheme().equalsIgnoreCase("wss");
        Transport transport = secure
                ? new TlsChannel(channel, client.engine(uri), loop.tlsBuffers(), loop.endpoint.tlsTasks(), loop) : Transport.PLAIN;
        if (client.settings().proxy() != null) {
            transport = tunnel = new ProxyTunnel(transport);
        }
        connection = new WsConnection(loop, client.settings().connection(), transport, this);
        connection.deadline = loop.now() + client.settings().connectTimeout().toNanos();
        client.track(connection);
        return connection;
    }

    @Override
    public void connected() {
        try {
            if (!connection.channel().finishConnect()) {
                return; // not yet: OP_CONNECT comes again
            }
        } catch (IOException e) {
            ConnectException refused = new ConnectException("could not connect to " + uri + ": " + e.getMessage());
            refused.initCause(e);
            fail(refused);
            return;
        }
        connected = true;
        connection.deadline = System.nanoTime() + client.settings().connection().handshakeTimeout().toNanos();
        connection.key.interestOps(SelectionKey.OP_READ);
        if (tunnel != null) {
            String authority = authority();
            String credentials = client.settings().proxyAuthorization();
            connection.sendOpeningHead(ByteBuffer.wrap(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority
                    + (credentials == null ? "" : "\r\nProxy-Authorization: " + credentials)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        } else {
            connection.sendOpeningHead(upgrade.request()); // (wss: it waits in the queue for the TLS handshake)
        }
    }

    /** The server's host and port, as {@code CONNECT} names them. */
    private String authority() {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /** The proxy's answer to {@code CONNECT}: a 2xx opens the tunnel, and the upgrade goes through it. */
    private void tunnelOpened(HttpResponseHead answer, ByteBuffer in) throws WebSocketHandshakeException {
        if (answer.status() == 407) {
            throw new WebSocketHandshakeException("the proxy at " + client.settings().proxy() + " "
                    + (client.settings().proxyAuthorization() == null ? "asks for credentials" : "refused the credentials")
                    + " to CONNECT " + authority() + " (" + answer + "); its challenge: "
                    + (answer.headers("Proxy-Authenticate").isEmpty() ? "none"
                    : String.join(", ", answer.headers("Proxy-Authenticate"))), 407, null);
        }
        if (answer.status() / 100 != 2) {
            throw new WebSocketHandshakeException("the proxy answered " + answer + " to CONNECT " + authority(),
                    answer.status(), null);
        }
        if (in.hasRemaining()) {
            throw new WebSocketHandshakeException("the proxy sent bytes before the server could", answer.status(), null);
        }
        tunnel.open();
        tunnel = null;
        Settings settings = client.settings().connection();
        parser = new HttpResponseParser(settings.maxHeaderBytes(), settings.maxHeaderCount());
        connection.sendOpeningHead(upgrade.request());
    }

    @Override
    public void read(ByteBuffer in) {
        HttpResponseHead head;
        ClientUpgrade.Agreed agreed;
        RequestView view;
        try {
            head = parser.parse(in);
            if (head == null) {
                return;
            }
            if (tunnel != null) {
                tunnelOpened(head, in);
                return;
            }
            agreed = upgrade.check(head);
            view = new RequestView(sent, connection.remote(), connection.localAddress(), connection.secure());
        } catch (HttpException e) {
            fail(new WebSocketHandshakeException("unreadable answer from " + uri + ": " + e.getMessage(), 0, null));
            return;
        } catch (WebSocketHandshakeException | IOException e) {
            fail(e);
            return;
        }
        parser = null;
        upgrade = null;
        sent = null;
        connection.requestRead(view);
        connection.holdBack(in); // frames right behind the 101 wait until the handler has heard of the connection
        connection.open(agreed.subprotocol(), agreed.deflate(), this, handler);
        if (!future.complete(connection)) { // the caller cancelled meanwhile
            connection.close(CloseStatus.GOING_AWAY, "connect cancelled");
        }
    }

    @Override
    public void expire() {
        long millis = (connected ? client.settings().connection().handshakeTimeout() : client.settings().connectTimeout()).toMillis();
        fail(new SocketTimeoutException(connected ? "no upgrade answer from " + uri + " within " + millis + " ms"
                : "connecting to " + uri + " timed out after " + millis + " ms"));
    }

    @Override
    public void ended(IOException cause) {
        failed(cause != null ? cause : new IOException("the connection to " + uri + " ended during the opening handshake"));
    }

    /** The handshake failed: the caller learns why. The socket is closed or never was open. */
    void failed(Throwable why) {
        if (connection != null) {
            client.forget(connection);
        }
        future.completeExceptionally(why);
    }

    private void fail(Throwable why) {
        failed(why);
        connection.closeChannel(); // RFC 6455 §4.1: the client fails the connection, no Close frame
    }

    // ---------------------------------------------------------------- the open connection's binding

    @Override
    public ConnectionHandler acquire() {
        return handler;
    }

    @Override
    public void release(ConnectionHandler released) {
        client.forget(connection);
    }

    @Override
    public boolean blocking() {
        return client.settings().blocking();
    }

    @Override
    public String toString() {
        return handler + " on " + uri;
    }
}

package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The transport of a connection through an HTTP proxy: the plain socket while the client asks
 * the proxy for a tunnel ({@code CONNECT}), then, once the proxy has opened it, the connection's
 * own transport (TLS for wss, end to end with the server). Loop thread only.
 */
final class ProxyTunnel implements Transport {
    private final Transport inner;
    private Transport current = Transport.PLAIN;

    ProxyTunnel(Transport inner) {
        this.inner = inner;
    }

    /** The proxy said yes: from now on the bytes are the server's. */
    void open() {
        current = inner;
    }

    @Override
    public int read(SocketChannel socket, ByteBuffer destination) throws IOException {
        return current.read(socket, destination);
    }

    @Override
    public int write(SocketChannel socket, ByteBuffer source) throws IOException {
        return current.write(socket, source);
    }

    @Override
    public boolean hasBufferedInput() {
        return current.hasBufferedInput();
    }

    @Override
    public boolean hasPendingOutput() {
        return current.hasPendingOutput();
    }

    @Override
    public boolean flushPending(SocketChannel socket) throws IOException {
        return current.flushPending(socket);
    }

    @Override
    public boolean waitingForPeer() {
        return current.waitingForPeer();
    }

    @Override
    public void shutdownOutput(SocketChannel socket) throws IOException {
        current.shutdownOutput(socket);
    }

    @Override
    public void close(SocketChannel socket) throws IOException {
        current.close(socket);
    }

    @Override
    public boolean secure() {
        return inner.secure();
    }

    @Override
    public void register(SelectionKey key) {
        inner.register(key);
    }

    @Override
    public boolean computing() {
        return current.computing();
    }
}

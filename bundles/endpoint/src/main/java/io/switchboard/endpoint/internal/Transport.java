package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * How a connection's bytes reach its socket: as they are ({@link #PLAIN}, shared by every plain
 * connection, so it costs none of them a field's worth of object), or through TLS
 * ({@link TlsChannel}, one per connection). The one place where ws and wss differ: a connection
 * never asks which one it has. Loop thread only.
 */
interface Transport {

    /** Reads what the peer sent as plaintext; -1 at its end. */
    int read(SocketChannel socket, ByteBuffer destination) throws IOException;

    /** Writes plaintext; returns how much was taken (TLS may hold some as {@link #hasPendingOutput pending}). */
    int write(SocketChannel socket, ByteBuffer source) throws IOException;

    /** Input already read from the socket and not handed out: no readiness event will announce it. */
    boolean hasBufferedInput();

    /** Output taken by {@link #write} that the socket has not taken yet. */
    boolean hasPendingOutput();

    /** Writes what is pending; true when nothing is left. */
    boolean flushPending(SocketChannel socket) throws IOException;

    /** Nothing can be written before the peer's next bytes are read (a TLS handshake's turn). */
    boolean waitingForPeer();

    /** Ends the output once what was written is out (TLS: close_notify first); reads go on. */
    void shutdownOutput(SocketChannel socket) throws IOException;

    void close(SocketChannel socket) throws IOException;

    /** Whether this is wss. */
    boolean secure();

    /** Tells it the connection's selection key, once there is one. */
    default void register(SelectionKey key) {
    }

    /**
     * True while TLS computes a handshake step on another thread: nothing is read or written
     * until it has, and then it calls {@link ConnectionFlusher#tlsComputed} on the loop.
     */
    default boolean computing() {
        return false;
    }

    /** The socket itself: nothing held, nothing pending. */
    Transport PLAIN = new Transport() {
        @Override
        public int read(SocketChannel socket, ByteBuffer destination) throws IOException {
            return socket.read(destination);
        }

        @Override
        public int write(SocketChannel socket, ByteBuffer source) throws IOException {
            return socket.write(source);
        }

        @Override
        public boolean hasBufferedInput() {
            return false;
        }

        @Override
        public boolean hasPendingOutput() {
            return false;
        }

        @Override
        public boolean flushPending(SocketChannel socket) {
            return true;
        }

        @Override
        public boolean waitingForPeer() {
            return false;
        }

        @Override
        public void shutdownOutput(SocketChannel socket) throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void close(SocketChannel socket) throws IOException {
            socket.close();
        }

        @Override
        public boolean secure() {
            return false;
        }
    };
}

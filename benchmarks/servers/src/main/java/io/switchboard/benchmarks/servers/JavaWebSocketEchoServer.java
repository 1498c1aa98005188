package io.switchboard.benchmarks.servers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket (TooTallNate) with one selector thread and one decoder thread. Its keepalive
 * pings are off, as in every other server here. Its permessage-deflate keeps its defaults: it
 * compresses only messages of 1 KiB or more, and it always answers with
 * {@code server_no_context_takeover}, resetting its compressor after each message.
 */
final class JavaWebSocketEchoServer implements EchoServer {
    private static final int DECODERS = 1;
    private static final long START_TIMEOUT_SECONDS = 30;

    @Override
    public int start(Options options) throws Exception {
        Echo server = new Echo(new InetSocketAddress(HOST, options.port()), draft(options.deflate()));
        server.setTcpNoDelay(true);
        server.setReuseAddr(true);
        server.setMaxPendingConnections(BACKLOG);
        server.setConnectionLostTimeout(0);
        if (options.tls()) {
            server.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(TlsKeyStore.sslContext(options)));
        }
        server.start();
        return server.awaitStart();
    }

    private static Draft draft(boolean deflate) {
        List<IExtension> extensions = deflate ? List.of(new PerMessageDeflateExtension()) : List.of();
        // The library's default: accept whatever subprotocols a client offers and select none.
        List<IProtocol> noSubprotocol = List.of(new Protocol(""));
        return new Draft_6455(extensions, noSubprotocol, MAX_MESSAGE_SIZE);
    }

    /** The library's server: a subclass with the callbacks, which echo on the decoder thread. */
    private static final class Echo extends WebSocketServer {
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile Exception startFailure;

        Echo(InetSocketAddress address, Draft draft) {
            super(address, DECODERS, List.of(draft));
        }

        /** Waits until the port is bound (onStart) or binding failed (onError without a connection). */
        int awaitStart() throws Exception {
            if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not started after " + START_TIMEOUT_SECONDS + " s");
            }
            if (startFailure != null) {
                throw startFailure;
            }
            return getPort();
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onMessage(WebSocket connection, String text) {
            connection.send(text);
        }

        @Override
        public void onMessage(WebSocket connection, ByteBuffer data) {
            // A fresh buffer per message, not reused by the library: it can go back as it is.
            connection.send(data);
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket connection, Exception e) {
            if (connection == null && started.getCount() > 0) {
                startFailure = e;
                started.countDown();
            }
        }
    }
}

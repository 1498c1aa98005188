package io.switchboard.benchmarks.servers;

import java.net.InetSocketAddress;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;

/**
 * Undertow core on one XNIO I/O thread, echoing on that thread with {@link UndertowEcho}. The
 * worker pool is kept small: the echo never dispatches to it.
 */
final class UndertowEchoServer implements EchoServer {
    private static final int IO_THREADS = 1;
    private static final int WORKER_THREADS = 2;
    /** zlib's default level, which every other server here uses. */
    private static final int DEFLATE_LEVEL = 6;

    @Override
    public int start(Options options) throws Exception {
        // Before the first Undertow class loads: XNIO and Undertow log through jboss-logging,
        // which otherwise picks java.util.logging and prints banners; SLF4J here means slf4j-nop.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        WebSocketProtocolHandshakeHandler websocket = Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new UndertowEcho());
            channel.resumeReceives();
        });
        if (options.deflate()) {
            // Undertow caps each inflated or deflated message buffer at 1 MiB by default and grows
            // the buffer by doubling: twice the message limit lets a 16 MiB message in and out.
            websocket.addExtension(new PerMessageDeflateHandshake(false, DEFLATE_LEVEL, true, true,
                    2 * MAX_MESSAGE_SIZE));
        }
        Undertow.Builder builder = Undertow.builder()
                .setIoThreads(IO_THREADS)
                .setWorkerThreads(WORKER_THREADS)
                .setSocketOption(org.xnio.Options.TCP_NODELAY, true)
                .setSocketOption(org.xnio.Options.BACKLOG, BACKLOG)
                .setHandler(websocket);
        if (options.tls()) {
            builder.addHttpsListener(options.port(), HOST, TlsKeyStore.sslContext(options));
        } else {
            builder.addHttpListener(options.port(), HOST);
        }
        Undertow server = builder.build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
}

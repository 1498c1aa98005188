package io.switchboard.benchmarks.servers;

import java.time.Duration;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12's ee10 Jakarta WebSocket server (the servlet-based one Jakarta EE 10 applications run
 * on) with the same annotated {@link JakartaEcho}, on a connector set up as
 * {@link JettyEchoServer}'s: one acceptor, one selector, a small thread pool, the same limits.
 * Plain WebSocket only; the load generator offers no extension in plain runs, so none is
 * negotiated.
 */
final class JettyJakartaEchoServer implements EchoServer {
    private static final int MAX_THREADS = 8;
    private static final int MIN_THREADS = 2;
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public int start(Options options) throws Exception {
        if (options.tls() || options.deflate()) {
            throw new IllegalArgumentException("the Jakarta echo serves plain WebSocket only");
        }
        Server server = new Server(new QueuedThreadPool(MAX_THREADS, MIN_THREADS));
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(HOST);
        connector.setPort(options.port());
        connector.setAcceptQueueSize(BACKLOG);
        connector.setReuseAddress(true);
        connector.setAcceptedTcpNoDelay(true);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            container.setDefaultMaxTextMessageBufferSize(MAX_MESSAGE_SIZE);
            container.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE_SIZE);
            container.setDefaultMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
            container.addEndpoint(JakartaEcho.class);
        });
        server.start();
        return connector.getLocalPort();
    }
}

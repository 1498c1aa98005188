package io.switchboard.benchmarks.servers;

import java.time.Duration;
import java.util.List;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12 with its core WebSocket API (no servlets): one connector with one acceptor and one
 * selector, which is what Jetty picks by itself on one CPU, and a small thread pool, since the
 * server is pinned to one CPU. Jetty negotiates permessage-deflate whenever a client offers it;
 * without {@code --deflate} the creator strikes it from the answer, so plain runs stay plain.
 * In fan-out mode {@link JettyFanOut} serves instead of {@link JettyEcho} (plain only).
 */
final class JettyEchoServer implements EchoServer {
    private static final int MAX_THREADS = 8;
    private static final int MIN_THREADS = 2;
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    /** Null when echoing. */
    private final JettyFanOut fanOut;

    JettyEchoServer() {
        this(null);
    }

    JettyEchoServer(JettyFanOut fanOut) {
        this.fanOut = fanOut;
    }

    @Override
    public int start(Options options) throws Exception {
        Server server = new Server(new QueuedThreadPool(MAX_THREADS, MIN_THREADS));
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        if (options.tls()) {
            // Jetty alone would refuse (400 Invalid SNI) a Host that the certificate does not name;
            // the other servers accept any Host.
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            httpConfiguration.addCustomizer(secure);
        }
        HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration);
        ConnectionFactory[] protocols = options.tls()
                ? new ConnectionFactory[] {new SslConnectionFactory(serverTls(options), http.getProtocol()), http}
                : new ConnectionFactory[] {http};
        ServerConnector connector = new ServerConnector(server, 1, 1, protocols);
        connector.setHost(HOST);
        connector.setPort(options.port());
        connector.setAcceptQueueSize(BACKLOG);
        connector.setReuseAddress(true);
        connector.setAcceptedTcpNoDelay(true);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> configure(container, options.deflate(), fanOut)));
        server.start();
        return connector.getLocalPort();
    }

    private static void configure(ServerWebSocketContainer container, boolean deflate, JettyFanOut fanOut) {
        container.setMaxTextMessageSize(MAX_MESSAGE_SIZE);
        container.setMaxBinaryMessageSize(MAX_MESSAGE_SIZE);
        container.setMaxFrameSize(MAX_MESSAGE_SIZE);
        container.setIdleTimeout(IDLE_TIMEOUT);
        if (fanOut == null) {
            container.addMapping("/*", creator(deflate));
        } else {
            container.addMapping(FanOutServers.PUBLISH_PATH, fanOut.publisherCreator());
            container.addMapping("/*", fanOut.subscriberCreator());
        }
    }

    private static WebSocketCreator creator(boolean deflate) {
        return (request, response, callback) -> {
            if (!deflate) {
                List<ExtensionConfig> withoutDeflate = response.getExtensions().stream()
                        .filter(extension -> !extension.getName().equals(PERMESSAGE_DEFLATE))
                        .toList();
                response.setExtensions(withoutDeflate);
            }
            return new JettyEcho();
        };
    }

    private static SslContextFactory.Server serverTls(Options options) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePath(options.tlsKeyStore().toString());
        tls.setKeyStorePassword(options.tlsPassword());
        return tls;
    }
}

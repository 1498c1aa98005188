package io.switchboard.endpoint.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.switchboard.api.CloseStatus;
import io.switchboard.endpoint.WebSocketClient;

/**
 * The client against Jetty 12's server over loopback: what {@link PeerServerInteropContract}
 * asks of every server.
 * Jetty checks what it reads as strictly as Switchboard does (an unmasked client frame is a 1002).
 */
class JettyServerInteropTest extends PeerServerInteropContract {
    private static Server jetty;
    private static URI uri;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofMinutes(1));
            container.addMapping("/echo", (request, response, callback) -> {
                if (request.hasSubProtocol("b")) {
                    response.setAcceptedSubProtocol("b");
                }
                return new JettyPeer();
            });
        }));
        jetty.start();
        uri = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/echo");
        client = WebSocketClient.builder().maxMessageSize(MAX_MESSAGE).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        jetty.stop();
    }

    @Override
    String peer() {
        return "jetty";
    }

    @Override
    URI echo() {
        return uri;
    }

    @Override
    WebSocketClient client() {
        return client;
    }

    @Override
    BlockingQueue<byte[]> peerPongs() {
        return JettyPeer.PONGS;
    }

    @Override
    CompletableFuture<CloseStatus> peerCloseOf(int port) {
        return JettyPeer.closeOf(port);
    }
}

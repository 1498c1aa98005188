package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;
import java.time.Duration;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.WebSocketServer;

/**
 * Switchboard's endpoint serving the fan-out protocol of {@link FanOutServers}, with the same
 * settings as {@link SwitchboardEchoServer} (one selector loop, raised limits) and a
 * {@link FanOut} strategy that does the sending. Both handlers run inline on the loop.
 */
final class SwitchboardFanOutServer implements EchoServer {
    private static final int MAX_CONNECTIONS = 1_000_000;
    private static final long SEND_LOW_WATER = 64 * 1024;
    private static final long SEND_HIGH_WATER = 256 * 1024;
    private static final long SEND_QUEUE_CAP = 16L * MAX_MESSAGE_SIZE;

    private final FanOut fanOut;
    private final Subscribers subscribers;

    SwitchboardFanOutServer(FanOut fanOut, Subscribers subscribers) {
        this.fanOut = fanOut;
        this.subscribers = subscribers;
    }

    @Override
    public int start(Options options) throws Exception {
        Route publisher = Route.to(HandlerBinding.of(new Publisher(), false));
        Route subscriber = Route.to(HandlerBinding.of(new Subscriber(), false));
        return WebSocketServer.builder()
                .name("bench-fanout")
                .host(HOST)
                .port(options.port())
                .loops(1)
                .workers(1) // unused: neither handler blocks
                .maxMessageSize(MAX_MESSAGE_SIZE)
                .maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerAddress(MAX_CONNECTIONS)
                .sendQueue(SEND_LOW_WATER, SEND_HIGH_WATER, SEND_QUEUE_CAP)
                .allowedOrigins("*")
                .idleTimeout(Duration.ZERO)
                .router(path -> path.startsWith(FanOutServers.PUBLISH_PATH) ? publisher : subscriber)
                .start()
                .port();
    }

    private final class Publisher implements ConnectionHandler {
        @Override
        public void message(Connection connection, ByteBuffer data) {
            fanOut.publish(data);
        }
    }

    private final class Subscriber implements ConnectionHandler {
        @Override
        public void connect(Connection connection) {
            fanOut.join(connection);
            subscribers.joined();
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            fanOut.leave(connection);
            subscribers.left();
        }
    }
}

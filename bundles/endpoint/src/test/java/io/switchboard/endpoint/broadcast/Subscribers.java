package io.switchboard.endpoint.broadcast;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * A server whose handler puts every connection into one group, and raw clients for it, ws or
 * wss. The handler reports connections and their ends as events to await, never as sleeps.
 */
final class Subscribers implements AutoCloseable {
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);

    final Group group;
    final WebSocketServer server;
    private final boolean tls;
    private final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> disconnected = new LinkedBlockingQueue<>();
    private final List<RawWebSocketClient> clients = new ArrayList<>();

    /** Server settings for these tests: a short close timeout, so that stopping is quick. */
    static WebSocketServer.Builder settings() {
        return WebSocketServer.builder().closeTimeout(CLOSE_TIMEOUT);
    }

    Subscribers(Group group, boolean tls, WebSocketServer.Builder settings) throws IOException {
        this.group = group;
        this.tls = tls;
        ConnectionHandler joiner = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                group.join(connection);
                connected.add(connection);
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                disconnected.add(connection);
            }
        };
        settings.host("127.0.0.1").port(0).loops(2).route("/group", joiner);
        this.server = (tls ? settings.tls(TestKeys.server()) : settings).start();
    }

    /** A client that completed the handshake, and its connection, a member of the group by now. */
    Member join(String... extraFields) throws Exception {
        return join(0, extraFields);
    }

    /** @param receiveBuffer the client socket's SO_RCVBUF, 0 for the default (small: a slow reader) */
    Member join(int receiveBuffer, String... extraFields) throws Exception {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client())
                : RawWebSocketClient.connect(server.port(), receiveBuffer);
        clients.add(client);
        client.upgrade("/group", extraFields);
        Connection connection = connected.poll(5, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("the handler was not told of the connection");
        }
        return new Member(client, connection);
    }

    /** Waits for the handler's disconnect of the next connection that ends. */
    Connection awaitDisconnect() throws InterruptedException {
        Connection gone = disconnected.poll(5, TimeUnit.SECONDS);
        if (gone == null) {
            throw new AssertionError("no connection ended");
        }
        return gone;
    }

    @Override
    public void close() throws IOException {
        for (RawWebSocketClient client : clients) {
            client.close();
        }
        server.stop();
    }

    record Member(RawWebSocketClient client, Connection connection) {
    }
}

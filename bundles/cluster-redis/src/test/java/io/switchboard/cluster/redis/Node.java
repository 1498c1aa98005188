package io.switchboard.cluster.redis;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.UnaryOperator;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * One Switchboard node of a test: a real server on a free loopback port whose route {@code /room}
 * puts every connection into the topic {@value #TOPIC} of a relayed broadcaster and sends every
 * message it receives to that topic, as a chat room does. A connection's messages are handled one
 * after the other, so a client's messages are sent to the topic in the order the client sent them.
 */
final class Node implements AutoCloseable {
    static final String TOPIC = "room";
    /** Sent to a connection once it is a member: from then on it receives the room's messages. */
    static final String WELCOME = "welcome";

    final RedisBroadcaster relay;
    private final WebSocketServer server;

    Node(URI redis, UnaryOperator<RedisBroadcaster.Builder> settings) throws IOException {
        relay = settings.apply(RedisBroadcaster.builder(new Broadcasts()).uri(redis)).start();
        Group room = relay.topic(TOPIC);
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/room", new ConnectionHandler() {
                    @Override
                    public void connect(Connection connection) {
                        room.join(connection);
                        connection.send(WELCOME);
                    }

                    @Override
                    public void message(Connection connection, String text) {
                        room.send(text);
                    }

                    @Override
                    public void message(Connection connection, ByteBuffer data) {
                        room.send(data);
                    }
                })
                .start();
    }

    /** A node relaying with the default settings, once it publishes and is subscribed. */
    static Node relaying(URI redis) throws IOException, InterruptedException {
        Node node = new Node(redis, UnaryOperator.identity());
        node.awaitRelaying();
        return node;
    }

    void awaitRelaying() throws InterruptedException {
        if (!relay.awaitRelaying(Duration.ofSeconds(10))) {
            throw new AssertionError("the relay did not connect within 10 s: " + relay.statistics());
        }
    }

    /** A client in the room, once it is a member. */
    JdkWebSocketClient join() {
        JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/room"));
        client.expectText(WELCOME);
        return client;
    }

    @Override
    public void close() {
        server.stop();
        relay.close();
    }
}

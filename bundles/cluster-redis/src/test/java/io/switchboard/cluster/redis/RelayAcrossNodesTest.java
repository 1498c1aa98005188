package io.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.cluster.redis.internal.Envelope;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RedisServer;
import io.switchboard.testing.JdkWebSocketClient.Binary;
import io.switchboard.testing.JdkWebSocketClient.Event;
import io.switchboard.testing.JdkWebSocketClient.Text;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Three nodes relaying through one real Redis, with real clients on each node. */
class RelayAcrossNodesTest {
    private static RedisServer redis;
    private static final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(Node.relaying(redis.uri()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Node node : nodes) {
            node.close();
        }
        redis.close();
    }

    @Test
    void aMessageReachesEveryMemberOnEveryNodeOnceAndNeverEchoesBack() {
        List<JdkWebSocketClient> clients = new ArrayList<>();
        for (Node node : nodes) {
            clients.add(node.join());
            clients.add(node.join());
        }
        try {
            byte[] data = {0, 1, 2, (byte) 0xff};
            clients.get(0).send("hello from node 0");
            clients.get(0).sendBinary(data);
            for (JdkWebSocketClient client : clients) {
                client.expectText("hello from node 0");
                assertArrayEquals(data, client.awaitBinary());
            }
            // Once every member has both, a message from another node: if anything came twice
            // (node 0 delivering its own messages again from Redis, or another node twice), it
            // was on its way before this one and shows up in its place.
            clients.get(5).send("marker from node 2");
            for (JdkWebSocketClient client : clients) {
                assertEquals(new Text("marker from node 2"), client.nextEvent());
            }
            for (JdkWebSocketClient client : clients) {
                client.request("barrier");
            }
            for (JdkWebSocketClient client : clients) {
                List<Event> rest = client.drainEvents();
                assertTrue(rest.stream().allMatch(e -> e.equals(new Text("barrier"))), "unexpected: " + rest);
            }
        } finally {
            clients.forEach(JdkWebSocketClient::close);
        }
    }

    @Test
    void eachPublishersMessagesArriveInOrderOnEveryNode() {
        int perPublisher = 500;
        List<JdkWebSocketClient> publishers = new ArrayList<>();
        List<JdkWebSocketClient> everyone = new ArrayList<>();
        for (Node node : nodes) {
            JdkWebSocketClient publisher = node.join();
            publishers.add(publisher);
            everyone.add(publisher);
            everyone.add(node.join());
        }
        try {
            long droppedBefore = dropped();
            // The three publish at once, each without waiting: their messages interleave in Redis.
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int p = 0; p < publishers.size(); p++) {
                JdkWebSocketClient publisher = publishers.get(p);
                int id = p;
                sending.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        publisher.sendTextAsync(id + ":" + i);
                    }
                }));
            }
            sending.forEach(CompletableFuture::join);
            for (JdkWebSocketClient client : everyone) {
                Map<Integer, Integer> next = new HashMap<>();
                for (int n = 0; n < perPublisher * publishers.size(); n++) {
                    String[] message = client.awaitText().split(":");
                    int publisher = Integer.parseInt(message[0]);
                    int expected = next.getOrDefault(publisher, 0);
                    assertEquals(expected, Integer.parseInt(message[1]),
                            "message of publisher " + publisher + " at " + client.uri());
                    next.put(publisher, expected + 1);
                }
            }
            assertEquals(droppedBefore, dropped(), "nothing is dropped while Redis keeps up");
        } finally {
            everyone.forEach(JdkWebSocketClient::close);
        }
    }

    @Test
    void foreignMessagesOnTheChannelsAreCountedAndIgnored() {
        List<JdkWebSocketClient> clients = new ArrayList<>();
        for (Node node : nodes) {
            clients.add(node.join());
        }
        long rejectedBefore = rejected();
        try (Jedis other = new Jedis(HostAndPort.from(redis.uri().getAuthority()))) {
            byte[] channel = ("switchboard:" + Node.TOPIC).getBytes(StandardCharsets.UTF_8);
            other.publish(channel, "not an envelope".getBytes(StandardCharsets.UTF_8));
            byte[] badText = Envelope.text(UUID.randomUUID(), "x");
            badText[badText.length - 1] = (byte) 0xFF;
            other.publish(channel, badText);
            // One message from each node: a node that received the other two through Redis has
            // read past the foreign ones, which Redis took before.
            Set<String> after = new HashSet<>();
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send("after them, from node " + i);
                after.add("after them, from node " + i);
            }
            for (JdkWebSocketClient client : clients) {
                Set<String> received = new HashSet<>();
                for (int i = 0; i < clients.size(); i++) {
                    received.add(client.awaitText());
                }
                assertEquals(after, received, "nothing of the foreign messages reached a client");
            }
            assertEquals(rejectedBefore + 2 * nodes.size(), rejected());
        } finally {
            clients.forEach(JdkWebSocketClient::close);
        }
    }

    private static long rejected() {
        return nodes.stream().mapToLong(node -> node.relay.statistics().rejected()).sum();
    }

    private static long dropped() {
        return nodes.stream().mapToLong(node -> node.relay.statistics().dropped()).sum();
    }
}

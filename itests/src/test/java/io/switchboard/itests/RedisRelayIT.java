package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.cluster.redis.RelayMonitor;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RedisServer;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The Redis relay bundle in the framework: it resolves with Jedis and the bundles Jedis imports,
 * stays off without a configuration, and with one registers the Broadcaster that handlers get
 * (it outranks the whiteboard's), whose topics go to a real redis-server and come back from it.
 * The other node is played by a plain Jedis client: the envelope's layout is part of what is
 * checked.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RedisRelayIT extends WhiteboardTestSupport {
    private static final String RELAY_PID = "io.switchboard.cluster.redis";
    private static final String RELAY_FILTER = "(&(objectClass=" + Broadcaster.class.getName()
            + ")(switchboard.broadcast.relay=redis))";

    private RedisServer redis;
    private Configuration relayConfiguration;

    @Override
    protected Option[] additionalOptions() {
        List<Option> bundles = new ArrayList<>();
        for (String path : System.getProperty("switchboard.relay.bundles", "").split(File.pathSeparator)) {
            bundles.add(bundle("file:" + path));
        }
        return bundles.toArray(new Option[0]);
    }

    @Test
    public void theRelayDecoratesTheWhiteboardsBroadcasterAndRelaysBothWays() throws Exception {
        assertEquals("no configuration, no relay", 0, context.getServiceReferences(Broadcaster.class,
                "(switchboard.broadcast.relay=*)").size());
        redis = RedisServer.start();
        int port = redis.port();
        relayConfiguration = configurationAdmin().getConfiguration(RELAY_PID, "?");
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("uri", "redis://127.0.0.1:" + port);
        settings.put("channelPrefix", "itest:");
        relayConfiguration.update(settings);
        awaitService(RELAY_FILTER);
        ServiceReference<Broadcaster> best = context.getServiceReference(Broadcaster.class);
        assertEquals("the relay outranks the whiteboard's broadcaster", "redis",
                best.getProperty("switchboard.broadcast.relay"));
        assertEquals("no password among the service properties", null, best.getProperty(".password"));
        Broadcaster broadcaster = context.getService(best);
        try (Jedis otherNode = new Jedis(new HostAndPort("127.0.0.1", port));
                Subscription subscription = new Subscription(port, "itest:room")) {
            Group room = broadcaster.topic("room");
            register(new ConnectionHandler() {
                @Override
                public void connect(Connection connection) {
                    room.join(connection);
                    connection.send("joined");
                }

                @Override
                public void message(Connection connection, String text) {
                    room.send(text);
                }
            }, "/room");
            JdkWebSocketClient client = connect(endpoint("relay"), "/room");
            assertEquals("joined", client.awaitText());

            // Out: a client's message goes to its room here and, enveloped, to Redis.
            RelayMonitor monitor = (RelayMonitor) broadcaster;
            assertTrue("the relay did not connect: " + monitor.statistics(),
                    monitor.awaitRelaying(Duration.ofSeconds(TIMEOUT_SECONDS)));
            client.send("from this node");
            assertEquals("from this node", client.awaitText());
            byte[] envelope = subscription.messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue("nothing reached Redis", envelope != null);
            assertEquals(1, envelope[0]);
            assertEquals('T', envelope[1]);
            assertEquals("from this node", new String(envelope, 18, envelope.length - 18, StandardCharsets.UTF_8));

            // In: a message of another node reaches the room's members here.
            ByteBuffer foreign = ByteBuffer.allocate(18 + 16).put((byte) 1).put((byte) 'T').putLong(7).putLong(42)
                    .put("from another one".getBytes(StandardCharsets.UTF_8));
            otherNode.publish("itest:room".getBytes(StandardCharsets.UTF_8), foreign.array());
            assertEquals("from another one", client.awaitText());
            assertEquals(1, monitor.awaitStatistics(s -> s.relayed() >= 1, Duration.ofSeconds(TIMEOUT_SECONDS)).relayed());
            assertEquals(1, monitor.statistics().received());
        } finally {
            context.ungetService(best);
        }
    }

    /** A subscriber on its own thread, as another node's would be, keeping what it receives. */
    private static final class Subscription extends BinaryJedisPubSub implements AutoCloseable {
        final BlockingQueue<byte[]> messages = new ArrayBlockingQueue<>(100);
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final Jedis jedis;

        Subscription(int port, String channel) throws InterruptedException {
            jedis = new Jedis(new HostAndPort("127.0.0.1", port));
            Thread reader = new Thread(() -> {
                try {
                    jedis.subscribe(this, channel.getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException closed) {
                    // close() ended the subscription
                }
            }, "redis-subscription");
            reader.setDaemon(true);
            reader.start();
            assertTrue("not subscribed", subscribed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }

        @Override
        public void onSubscribe(byte[] channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            messages.add(message);
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    @After
    public void stopRelayAndRedis() throws Exception {
        if (relayConfiguration != null) {
            relayConfiguration.delete();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private ConfigurationAdmin configurationAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }
}

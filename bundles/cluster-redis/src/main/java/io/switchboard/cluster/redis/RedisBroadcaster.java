package io.switchboard.cluster.redis;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;


import io.switchboard.api.Broadcaster;
import io.switchboard.api.Connection;
import io.switchboard.api.Group;
import io.switchboard.cluster.redis.internal.Relay;
import io.switchboard.cluster.redis.internal.RedisLink;
import io.switchboard.cluster.redis.internal.RelayedTopic;
import io.switchboard.cluster.redis.internal.TopicFilter;

/**
 * A {@link Broadcaster} whose named topics span every node that relays through the same Redis
 * with the same channel prefix: a message sent to {@link #topic(String)} on one node reaches the
 * topic's members on all of them. It decorates the node's own broadcaster, which keeps doing the
 * local part (members, encode-once); unnamed groups and {@code send(connections, ...)} stay local.
 *
 * <pre>{@code
 * Broadcaster relay = RedisBroadcaster.builder(new Broadcasts())
 *         .uri(URI.create("redis://10.0.0.5:6379")).password(secret).start();
 * relay.topic("room-1").send("hello");   // to room-1's members here and on every other node
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Once.</b> A message reaches each member on its own node once, at once, as the local
 *       broadcaster's send; it reaches members on other nodes once or not at all (at most once
 *       across nodes). A node skips its own messages when Redis hands them back.
 *   <li><b>Order.</b> Messages one thread sends to a topic reach each member on every node in the
 *       order sent: a node publishes over one connection in order, Redis keeps the order per
 *       connection, and a node delivers what it receives from one connection in order. Messages of
 *       different nodes (or threads) have no order among them.
 *   <li><b>Redis unreachable.</b> Sending goes on locally; the messages are not relayed and are
 *       counted as {@link RelayStatistics#dropped() dropped} (a warning is logged when drops start,
 *       and how many there were when relaying resumes). Messages queued or in flight when the
 *       connection fails are dropped too; nothing is retried, so nothing arrives twice. Each
 *       connection reconnects with a backoff from 100 ms, doubling up to {@link
 *       Builder#maxBackoff}; messages sent by other nodes while this node is not subscribed are
 *       lost for it.
 *   <li><b>Redis slow.</b> At most {@link Builder#queueCap} bytes wait for Redis; past that,
 *       messages are dropped as above. A request unanswered for {@link Builder#timeout} counts as
 *       a failed connection.
 * </ul>
 *
 * <p>Thread-safe. Two threads per relay, one for each connection to Redis.
 */
public final class RedisBroadcaster implements Broadcaster, RelayMonitor, AutoCloseable {
    private final Broadcaster local;
    private final Relay relay;
    private final ConcurrentMap<String, Group> topics = new ConcurrentHashMap<>();

    private RedisBroadcaster(Broadcaster local, Relay relay) {
        this.local = local;
        this.relay = relay;
    }

    /** Starts configuring a relay for this node's broadcaster. */
    public static Builder builder(Broadcaster local) {
        return new Builder(Objects.requireNonNull(local, "local"));
    }

    @Override
    public Group group() {
        return local.group();
    }

    /** The topic of this name: relayed if the name is one of {@link Builder#topics}, else the local topic. */
    @Override
    public Group topic(String name) {
        Group topic = local.topic(name);
        if (!relay.relays(name)) {
            return topic;
        }
        return topics.computeIfAbsent(name, any -> new RelayedTopic(name, topic, relay));
    }

    @Override
    public int send(Collection<? extends Connection> connections, String text) {
        return local.send(connections, text);
    }

    @Override
    public int send(Collection<? extends Connection> connections, ByteBuffer data) {
        return local.send(connections, data);
    }

    @Override
    public RelayStatistics statistics() {
        return relay.statistics();
    }

    @Override
    public boolean awaitRelaying(Duration limit) throws InterruptedException {
        return relay.state().awaitRelaying(limit);
    }

    @Override
    public RelayStatistics awaitStatistics(Predicate<RelayStatistics> condition, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long seen = relay.state().changes();
            RelayStatistics now = statistics();
            if (condition.test(now) || System.nanoTime() - deadline >= 0) {
                return now;
            }
            relay.state().awaitChangeAfter(seen, deadline);
        }
    }

    /** Stops relaying; the topics keep working locally. */
    @Override
    public void close() {
        relay.close();
    }

    /** The settings of a relay; not thread-safe. */
    public static final class Builder {
        private final Broadcaster local;
        private URI uri = URI.create("redis://127.0.0.1:6379");
        private String user;
        private String password;
        private Path trustStore;
        private char[] trustStorePassword;
        private String channelPrefix = "switchboard:";
        private List<String> topics = List.of("*");
        private long queueCap = 8L << 20;
        private Duration timeout = Duration.ofSeconds(2);
        private Duration maxBackoff = Duration.ofSeconds(5);

        private Builder(Broadcaster local) {
            this.local = local;
        }

        /** {@code redis://host:port}, or {@code rediss://host:port} for TLS; default redis://127.0.0.1:6379. */
        public Builder uri(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** The ACL user; none (Redis's default user) unless set. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password ({@code requirepass} or the ACL user's); none unless set. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * For {@code rediss}: the certificates (a PKCS12 or JKS file) that the server's must chain
         * to; the JVM's default ones unless set. The server's name is checked as for https.
         */
        public Builder trustStore(Path file, char[] password) {
            this.trustStore = file;
            this.trustStorePassword = password;
            return this;
        }

        /** Starts every channel name, so that deployments can share a Redis; default {@code switchboard:}. */
        public Builder channelPrefix(String prefix) {
            this.channelPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** The relayed topics: names, or prefixes followed by {@code *}; default {@code *}, every topic. */
        public Builder topics(String... entries) {
            this.topics = List.of(entries);
            return this;
        }

        /** The most bytes (channel and envelope) waiting for Redis; default 8 MiB. */
        public Builder queueCap(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("queue cap must be positive: " + bytes);
            }
            this.queueCap = bytes;
            return this;
        }

        /** How long a connection attempt or a request may take; default 2 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The longest wait between reconnection attempts; default 5 s. */
        public Builder maxBackoff(Duration delay) {
            if (delay.toMillis() < 100) {
                throw new IllegalArgumentException("max backoff must be at least 100 ms: " + delay);
            }
            this.maxBackoff = delay;
            return this;
        }

        /**
         * Starts relaying: the connections to Redis are made in the background (see {@link
         * #awaitRelaying}); until they are up, messages are delivered locally only.
         *
         * @throws IllegalArgumentException if the URI or the topics cannot be used
         */
        public RedisBroadcaster start() {
            TopicFilter filter = new TopicFilter(topics);
            RedisLink link = new RedisLink(uri, user, password, trustStore, trustStorePassword, timeout,
                    maxBackoff, "switchboard-relay");
            return new RedisBroadcaster(local, new Relay(local, link, channelPrefix, filter, queueCap));
        }
    }
}

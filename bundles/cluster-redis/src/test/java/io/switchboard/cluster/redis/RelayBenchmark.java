package io.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RedisServer;

/**
 * The relay's cost, two nodes on this machine (one JVM, one redis-server): cross-node deliveries
 * per second, and the latency of a relayed message against a local one. Not part of the build
 * (the name matches no test pattern); run it with
 * {@code mvn -B -o test -pl bundles/cluster-redis -am -Dtest=RelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints its figures and fails only if a message is lost or reordered.
 *
 * <p>A message is sent on node A's side with {@code topic.send} (no client in between), stamped
 * with its index; a JDK WebSocket client on node A (local) and clients on node B (relayed) note
 * the time it arrives, on the JDK client's thread.
 */
class RelayBenchmark {
    private static final int LATENCY_SAMPLES = 20_000;
    private static final int WARMUP = 5_000;
    private static final int THROUGHPUT_MESSAGES = 200_000;
    private static final int REMOTE_CLIENTS = 4;
    /** Messages sent but not yet seen by node B's first client, in the throughput run: well below the queue cap. */
    private static final int WINDOW = 2_000;

    @Test
    void crossNodeDeliveriesAndAddedLatency() throws Exception {
        try (RedisServer redis = RedisServer.start();
                BenchNode a = new BenchNode(redis.uri());
                BenchNode b = new BenchNode(redis.uri())) {
            int total = WARMUP + LATENCY_SAMPLES;
            long[] sentAt = new long[total];
            Probe local = new Probe(a.port, sentAt);
            Probe remote = new Probe(b.port, sentAt);
            Group topic = a.relay.topic("bench");
            // Latency: one message at a time, the next once both clients have the previous one.
            for (int i = 0; i < total; i++) {
                sentAt[i] = System.nanoTime();
                topic.send(i + " latency");
                local.await(i);
                remote.await(i);
            }
            long[] localNanos = Arrays.copyOfRange(local.latencies(), WARMUP, total);
            long[] relayedNanos = Arrays.copyOfRange(remote.latencies(), WARMUP, total);
            Arrays.sort(localNanos);
            Arrays.sort(relayedNanos);
            System.out.printf("latency, %d messages of ~16 B one at a time (µs): local p50 %.1f p99 %.1f;"
                    + " relayed p50 %.1f p99 %.1f; added p50 %.1f p99 %.1f%n", LATENCY_SAMPLES,
                    micros(localNanos, 0.50), micros(localNanos, 0.99), micros(relayedNanos, 0.50),
                    micros(relayedNanos, 0.99), micros(relayedNanos, 0.50) - micros(localNanos, 0.50),
                    micros(relayedNanos, 0.99) - micros(localNanos, 0.99));
            local.close();
            remote.close();

            // Throughput: node B's clients count what arrives, in order; A keeps WINDOW in flight.
            Semaphore window = new Semaphore(WINDOW);
            List<Counter> counters = new ArrayList<>();
            for (int c = 0; c < REMOTE_CLIENTS; c++) {
                counters.add(new Counter(b.port, c == 0 ? window : null));
            }
            String payload = "x".repeat(48);
            long start = System.nanoTime();
            for (int i = 0; i < THROUGHPUT_MESSAGES; i++) {
                window.acquire();
                topic.send(i + " " + payload);
            }
            for (Counter counter : counters) {
                counter.awaitCount(THROUGHPUT_MESSAGES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("throughput, %d messages of ~55 B to %d clients on the other node: %.0f messages/s"
                    + " relayed, %.0f deliveries/s; dropped %d%n", THROUGHPUT_MESSAGES, REMOTE_CLIENTS,
                    THROUGHPUT_MESSAGES / seconds, THROUGHPUT_MESSAGES * REMOTE_CLIENTS / seconds,
                    a.relay.statistics().dropped());
            assertEquals(0, a.relay.statistics().dropped());
            counters.forEach(Counter::close);
        }
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
    }

    /** A server whose /bench connections join the relayed topic "bench". */
    private static final class BenchNode implements AutoCloseable {
        final RedisBroadcaster relay;
        final WebSocketServer server;
        final int port;

        BenchNode(URI redis) throws Exception {
            relay = RedisBroadcaster.builder(new Broadcasts()).uri(redis).queueCap(64L << 20).start();
            Group topic = relay.topic("bench");
            server = WebSocketServer.builder().host("127.0.0.1").port(0).route("/bench", new ConnectionHandler() {
                @Override
                public void connect(Connection connection) {
                    topic.join(connection);
                    connection.send("joined");
                }
            }).start();
            port = server.port();
            assertTrue(relay.awaitRelaying(Duration.ofSeconds(10)));
        }

        @Override
        public void close() {
            server.stop();
            relay.close();
        }
    }

    /** A client noting when each numbered message arrives. */
    private abstract static class Client implements WebSocket.Listener, AutoCloseable {
        private final CompletableFuture<Void> joined = new CompletableFuture<>();
        /** The message so far; the JDK's client calls one listener method at a time. */
        private final StringBuilder parts = new StringBuilder();
        private final WebSocket socket;

        Client(int port) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/bench"), this).get(10, TimeUnit.SECONDS);
            joined.get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            // The JDK's client may hand a message over in parts, as the bytes came in.
            parts.append(data);
            webSocket.request(1);
            if (!last) {
                return null;
            }
            String text = parts.toString();
            parts.setLength(0);
            if (text.equals("joined")) {
                joined.complete(null);
            } else {
                arrived(Integer.parseInt(text.substring(0, text.indexOf(' '))), now);
            }
            return null;
        }

        abstract void arrived(int index, long now);

        @Override
        public void close() {
            socket.abort();
        }
    }

    private static final class Probe extends Client {
        private final long[] sentAt;
        private final AtomicLongArray latency;
        private final AtomicLong latest = new AtomicLong(-1);

        Probe(int port, long[] sentAt) throws Exception {
            super(port);
            this.sentAt = sentAt;
            this.latency = new AtomicLongArray(sentAt.length);
        }

        @Override
        void arrived(int index, long now) {
            latency.set(index, now - sentAt[index]);
            synchronized (this) {
                latest.set(index);
                notifyAll();
            }
        }

        synchronized void await(int index) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (latest.get() < index) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "message " + index + " did not arrive");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        long[] latencies() {
            long[] copy = new long[latency.length()];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = latency.get(i);
            }
            return copy;
        }
    }

    private static final class Counter extends Client {
        private final Semaphore window;
        private int next;
        private String disorder;

        Counter(int port, Semaphore window) throws Exception {
            super(port);
            this.window = window;
        }

        @Override
        void arrived(int index, long now) {
            synchronized (this) {
                if (index != next && disorder == null) {
                    disorder = "message " + index + " came where " + next + " was due";
                }
                next++;
                notifyAll();
            }
            if (window != null) {
                window.release();
            }
        }

        synchronized void awaitCount(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (next < count) {
                assertEquals(null, disorder, "in order, none lost");
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "only " + next + " of " + count + " arrived");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            assertEquals(null, disorder, "in order, none lost");
        }
    }
}

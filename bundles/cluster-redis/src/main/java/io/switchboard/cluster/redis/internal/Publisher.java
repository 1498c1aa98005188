package io.switchboard.cluster.redis.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This node's messages on their way to Redis: a queue bounded in bytes, emptied by one thread
 * over one connection, in order and in pipelined batches.
 *
 * <p><b>Threading.</b> {@link #offer} is called by any sending thread and never blocks; {@link
 * #run} is the publishing thread's loop, the only user of the connection. The queue and its
 * counts are guarded by this object's monitor.
 *
 * <p><b>What is dropped.</b> A message is delivered on its own node before it is offered here;
 * here it is dropped, counted and (once per episode) logged when Redis is unreachable, when the
 * queue is at its cap (Redis is slow), or when the connection fails while it is queued or in
 * flight. Nothing is ever sent twice: at most once across nodes.
 */
final class Publisher implements Runnable {
    private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
    /** Messages per pipelined batch: enough to amortise a round trip, few enough to free memory early. */
    private static final int BATCH = 256;

    private record Outgoing(byte[] channel, byte[] payload) {
        long size() {
            return channel.length + (long) payload.length;
        }
    }

    private final RedisLink link;
    private final RelayState state;
    private final long cap;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    /** Bytes queued or in the batch in flight; at most {@link #cap}. */
    private long queuedBytes;
    private long peakQueuedBytes;
    /** Messages in the batch in flight. */
    private int inFlight;
    private boolean connected;
    private boolean closed;
    /** The connection in use, closed by {@link #close} under a thread waiting for a Redis that stopped answering. */
    private Jedis current;
    /** The failure last logged, so that a retry failing the same way is not logged again. */
    private String lastReported;
    /** Drops since the relay last worked, for one log line when they start and one when they end. */
    private long droppedInEpisode;

    Publisher(RedisLink link, RelayState state, long cap) {
        this.link = link;
        this.state = state;
        this.cap = cap;
    }

    /** Queues a message for Redis; false if it was dropped instead. */
    synchronized boolean offer(byte[] channel, byte[] payload) {
        Outgoing message = new Outgoing(channel, payload);
        if (closed) {
            return false;
        }
        if (!connected) {
            return drop(1, "Redis is unreachable");
        }
        if (queuedBytes + message.size() > cap) {
            return drop(1, "the relay's queue is at its cap of " + cap + " bytes (Redis is slow)");
        }
        queue.add(message);
        queuedBytes += message.size();
        peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
        if (queue.size() == 1) {
            notifyAll();
        }
        return true;
    }

    private boolean drop(long count, String why) {
        state.dropped.add(count);
        if (droppedInEpisode == 0) {
            LOG.log(Level.WARNING, "Broadcasts are delivered on this node only, not relayed to other nodes: {0}",
                    why);
        }
        droppedInEpisode += count;
        return false;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    synchronized long peakQueuedBytes() {
        return peakQueuedBytes;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!link.closing()) {
            try (Jedis jedis = link.open()) {
                if (!up(jedis)) {
                    return;
                }
                failures = 0;
                publish(jedis);
            } catch (JedisException e) {
                if (link.closing()) {
                    return;
                }
                failures++;
                down(link.explain(e));
                if (!link.pause(link.backoff(failures))) {
                    return;
                }
            }
        }
    }

    /** Publishes batches until the relay closes; a failure leaves by exception. */
    private void publish(Jedis jedis) {
        List<Outgoing> batch = new ArrayList<>(BATCH);
        while (takeBatch(batch)) {
            long bytes = 0;
            Pipeline pipeline = jedis.pipelined();
            for (Outgoing message : batch) {
                pipeline.publish(message.channel(), message.payload());
                bytes += message.size();
            }
            pipeline.sync();
            state.relayed(batch.size());
            relayed(bytes);
            batch.clear();
        }
    }

    /** Waits for messages and moves up to a batch of them out of the queue; false once closed. */
    private synchronized boolean takeBatch(List<Outgoing> batch) {
        while (queue.isEmpty() && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        while (batch.size() < BATCH && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        inFlight = batch.size();
        return !closed;
    }

    /** The connection is up; false if the relay closed meanwhile. */
    private synchronized boolean up(Jedis jedis) {
        if (closed) {
            return false;
        }
        current = jedis;
        connected = true;
        lastReported = null;
        state.publishing(true);
        state.error(null);
        LOG.log(Level.INFO, "Publishing broadcasts to {0}", link.describe());
        return true;
    }

    /** A batch is in Redis: its bytes are free, and an episode of drops, if any, has ended. */
    private synchronized void relayed(long bytes) {
        queuedBytes -= bytes;
        inFlight = 0;
        if (droppedInEpisode > 0) {
            LOG.log(Level.INFO, "Broadcasts are relayed through {0} again; {1} messages were not relayed meanwhile",
                    link.describe(), droppedInEpisode);
            droppedInEpisode = 0;
        }
    }

    /** The connection failed: what was queued or in flight is dropped, and new messages are until it is back. */
    private synchronized void down(String why) {
        current = null;
        if (connected || !why.equals(lastReported)) {
            LOG.log(Level.WARNING, "{0}; the relay retries with backoff", why);
            lastReported = why;
        }
        connected = false;
        state.publishing(false);
        state.error(why);
        long lost = queue.size() + (long) inFlight;
        queue.clear();
        queuedBytes = 0;
        inFlight = 0;
        if (lost > 0) {
            drop(lost, why);
        }
    }
}

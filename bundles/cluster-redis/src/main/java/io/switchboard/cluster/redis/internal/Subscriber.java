package io.switchboard.cluster.redis.internal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import io.switchboard.api.Broadcaster;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Other nodes' messages coming from Redis: one thread, one connection subscribed to the relayed
 * topics' channel patterns, delivering each message to the local topic of its channel, in the
 * order Redis sends them. Messages of this node (its id in the envelope) are skipped: they were
 * delivered here when they were sent.
 *
 * <p><b>Threading.</b> {@link #run} is the subscribing thread's loop and the only reader of the
 * connection; {@link #close} may be called by any thread and closes the connection under the
 * reader, which is how a blocked subscription ends.
 */
final class Subscriber extends BinaryJedisPubSub implements Runnable {
    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

    private final RedisLink link;
    private final RelayState state;
    private final Broadcaster local;
    private final UUID node;
    private final byte[] prefix;
    private final TopicFilter topics;
    private final byte[][] patterns;
    /** The connection being read, for {@link #close}. Guarded by this object's monitor. */
    private Jedis current;
    /** The failure last logged, so that a retry failing the same way is not logged again. Subscribing thread only. */
    private String lastReported;
    /** Whether a rejected message has been logged: one line is enough to point at a foreign publisher. */
    private volatile boolean rejectionLogged;

    Subscriber(RedisLink link, RelayState state, Broadcaster local, UUID node, String prefix,
            TopicFilter topics) {
        this.link = link;
        this.state = state;
        this.local = local;
        this.node = node;
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.topics = topics;
        this.patterns = topics.patterns(prefix);
    }

    @Override
    public void run() {
        int failures = 0;
        while (!link.closing()) {
            try (Jedis jedis = link.open()) {
                if (!use(jedis)) {
                    return;
                }
                failures = 0;
                jedis.psubscribe(this, patterns);
            } catch (JedisException e) {
                if (link.closing()) {
                    return;
                }
                failures++;
                String why = link.explain(e);
                if (!why.equals(lastReported)) {
                    LOG.log(Level.WARNING, "{0}; messages of other nodes are not received until the relay resubscribes", why);
                    lastReported = why;
                }
                state.error(why);
            } finally {
                use(null);
                state.subscribed(false);
            }
            if (!link.pause(link.backoff(Math.max(failures, 1)))) {
                return;
            }
        }
    }

    /** Makes this the connection that {@link #close} closes; false if the relay is closing already. */
    private synchronized boolean use(Jedis jedis) {
        current = jedis;
        return !link.closing();
    }

    synchronized void close() {
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void onPSubscribe(byte[] pattern, int subscriptions) {
        if (subscriptions == patterns.length) {
            LOG.log(Level.INFO, "Receiving other nodes'' broadcasts through {0}", link.describe());
            lastReported = null;
            state.subscribed(true);
        }
    }

    @Override
    public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
        Envelope envelope = Envelope.read(message);
        if (envelope == null) {
            reject(channel, "not a relay envelope of version " + Envelope.VERSION);
            return;
        }
        if (envelope.node().equals(node)) {
            return;
        }
        String topic = new String(channel, prefix.length, channel.length - prefix.length, StandardCharsets.UTF_8);
        int first = topics.firstMatch(topic);
        if (first < 0 || !Arrays.equals(pattern, patterns[first])) {
            return; // the same message comes once more for the first pattern it matches
        }
        String text = envelope.text() ? envelope.textOrNull() : null;
        if (envelope.text() && text == null) {
            reject(channel, "text that is not valid UTF-8");
            return;
        }
        // Counted first: a member holding the message proves it was counted.
        state.received.increment();
        if (text != null) {
            local.topic(topic).send(text);
        } else {
            local.topic(topic).send(ByteBuffer.wrap(envelope.body()));
        }
    }

    private void reject(byte[] channel, String why) {
        state.rejected.increment();
        if (!rejectionLogged) {
            rejectionLogged = true;
            LOG.log(Level.WARNING, "Ignored a message on Redis channel {0}: {1} (another publisher on the relay''s "
                    + "channels? further ones are only counted)", new String(channel, StandardCharsets.UTF_8), why);
        }
    }
}

package io.switchboard.cluster.redis.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.switchboard.api.Broadcaster;
import io.switchboard.cluster.redis.RelayStatistics;

/**
 * The running relay of one node: its id, the publishing and the subscribing thread. Thread-safe:
 * {@link #text} and {@link #binary} are called by any sending thread and only queue.
 */
public final class Relay implements AutoCloseable {
    private final UUID node = UUID.randomUUID();
    private final String channelPrefix;
    private final TopicFilter topics;
    private final RedisLink link;
    private final RelayState state = new RelayState();
    private final Publisher publisher;
    private final Subscriber subscriber;
    private final Thread publishing;
    private final Thread subscribing;

    public Relay(Broadcaster local, RedisLink link, String channelPrefix, TopicFilter topics, long queueCap) {
        this.channelPrefix = channelPrefix;
        this.topics = topics;
        this.link = link;
        this.publisher = new Publisher(link, state, queueCap);
        this.subscriber = new Subscriber(link, state, local, node, channelPrefix, topics);
        this.publishing = new Thread(publisher, "switchboard-redis-publish");
        this.subscribing = new Thread(subscriber, "switchboard-redis-subscribe");
        publishing.setDaemon(true);
        subscribing.setDaemon(true);
        publishing.start();
        subscribing.start();
    }

    public boolean relays(String topic) {
        return topics.relays(topic);
    }

    public void text(String topic, String text) {
        publisher.offer(channel(topic), Envelope.text(node, text));
    }

    public void binary(String topic, ByteBuffer data) {
        publisher.offer(channel(topic), Envelope.binary(node, data));
    }

    private byte[] channel(String topic) {
        return (channelPrefix + topic).getBytes(StandardCharsets.UTF_8);
    }

    public RelayState state() {
        return state;
    }

    public RelayStatistics statistics() {
        return state.snapshot(publisher.queuedBytes(), publisher.peakQueuedBytes());
    }

    /** Stops both threads and waits for them (they end at once: their connections are closed under them). */
    @Override
    public void close() {
        link.close();
        publisher.close();
        subscriber.close();
        try {
            publishing.join();
            subscribing.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

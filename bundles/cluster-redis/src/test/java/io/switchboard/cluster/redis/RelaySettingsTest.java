package io.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.Broadcasts;

/** Settings that cannot be used are refused when the relay is built, each with a message that names it. */
class RelaySettingsTest {
    private final RedisBroadcaster.Builder builder = RedisBroadcaster.builder(new Broadcasts());

    @Test
    void aUriMustBeRedisOrRedissWithAHost() {
        assertEquals("not a redis:// or rediss:// URI with a host: http://example.com:6379",
                assertThrows(IllegalArgumentException.class,
                        () -> builder.uri(URI.create("http://example.com:6379")).start()).getMessage());
        assertEquals("not a redis:// or rediss:// URI with a host: redis:/no-host",
                assertThrows(IllegalArgumentException.class, () -> builder.uri(URI.create("redis:/no-host")).start())
                        .getMessage());
    }

    @Test
    void topicsQueueTimeoutAndBackoffMustBeUsable() {
        assertEquals("no topic to relay: give * for every topic",
                assertThrows(IllegalArgumentException.class, () -> builder.topics().start()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.topics("chat", "").start());
        assertThrows(IllegalArgumentException.class, () -> builder.queueCap(0));
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.maxBackoff(Duration.ofMillis(99)));
    }
}

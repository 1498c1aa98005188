package io.switchboard.cluster.redis.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import java.nio.file.Path;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where Redis is and how to log in, shared by the publishing and the subscribing connection, and
 * the backoff between attempts. Immutable apart from the closing latch; any thread.
 */
public final class RedisLink {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final URI uri;
    private final HostAndPort address;
    private final JedisClientConfig config;
    private final Duration maxBackoff;
    /** Counted down once, when the relay closes: it ends every backoff at once. */
    private final CountDownLatch closing = new CountDownLatch(1);

    /**
     * @param uri {@code redis://host:port} or {@code rediss://host:port} (TLS); the port defaults to 6379
     * @param trustStore the certificates that a {@code rediss} server's must chain to (a PKCS12 or
     *     JKS file), or null for the JVM's default ones
     */
    public RedisLink(URI uri, String user, String password, Path trustStore, char[] trustStorePassword,
            Duration timeout, Duration maxBackoff, String clientName) {
        String scheme = uri.getScheme();
        boolean secure = "rediss".equals(scheme);
        if (!secure && !"redis".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URI with a host: " + uri);
        }
        this.uri = uri;
        this.address = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
        this.maxBackoff = maxBackoff;
        int millis = Math.toIntExact(timeout.toMillis());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(clientName)
                // Pub/sub and PUBLISH need nothing of RESP3; saying so spares Jedis a negotiation and a warning.
                .protocol(RedisProtocol.RESP2);
        if (user != null && !user.isEmpty()) {
            builder.user(user);
        }
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        if (secure) {
            // FULL: the certificate must chain to a trusted one and name the server, as for https.
            SslOptions.Builder tls = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
            if (trustStore != null) {
                tls.truststore(trustStore.toFile(), trustStorePassword);
            }
            builder.sslOptions(tls.build());
        }
        this.config = builder.build();
    }

    /** A new connection, logged in; the caller closes it. */
    Jedis open() {
        return new Jedis(address, config);
    }

    /** The URI without credentials, for log lines. */
    public String describe() {
        return uri.getScheme() + "://" + address;
    }

    /** One line saying why talking to Redis failed, the password refusal spelled out. */
    String explain(JedisException failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (failure instanceof JedisAccessControlException || why.startsWith("WRONGPASS") || why.startsWith("NOAUTH")) {
            return "Redis at " + describe() + " refused the relay's credentials (" + why + "): check the password";
        }
        if (failure instanceof JedisConnectionException) {
            return "Redis at " + describe() + " is unreachable (" + why + ")";
        }
        return "Redis at " + describe() + " failed: " + why;
    }

    /** The delay after the given number of failures in a row: 100 ms, doubling, up to the maximum. */
    Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /** Waits out a backoff; returns false if the relay closed meanwhile. */
    boolean pause(Duration delay) {
        try {
            return !closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean closing() {
        return closing.getCount() == 0;
    }

    void close() {
        closing.countDown();
    }
}

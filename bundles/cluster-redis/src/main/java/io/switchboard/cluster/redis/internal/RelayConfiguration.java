package io.switchboard.cluster.redis.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The relay's configuration: the configuration of {@value RedisRelayComponent#PID}. The passwords'
 * keys start with a dot ({@code .password}): DS keeps such properties off the service, where any
 * bundle or shell user could read them.
 */
@ObjectClassDefinition(
        name = "Switchboard Redis relay",
        description = "Relays the broadcast topics of this node to the other nodes through Redis pub/sub.")
@interface RelayConfiguration {

    @AttributeDefinition(name = "Redis URI", description = "redis://host:port, or rediss://host:port for TLS (the server's certificate and name are checked).")
    String uri() default "redis://127.0.0.1:6379";

    @AttributeDefinition(name = "User", description = "The Redis ACL user; empty for the default user.")
    String user() default "";

    @AttributeDefinition(name = "Password", description = "The Redis password (requirepass or the user's); empty for none.", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "TLS trust store", description = "For rediss: a PKCS12 or JKS file with the certificates the server's must chain to; empty for the JVM's.")
    String tlsTruststore() default "";

    @AttributeDefinition(name = "TLS trust store password", description = "The trust store's password; empty for none.", type = AttributeType.PASSWORD)
    String _tlsTruststorePassword() default "";

    @AttributeDefinition(name = "Channel prefix", description = "Starts every Redis channel name: nodes with the same prefix are one deployment.")
    String channelPrefix() default "switchboard:";

    @AttributeDefinition(name = "Relayed topics", description = "Topic names, or name prefixes followed by *; * for every topic.")
    String[] topics() default {"*"};

    @AttributeDefinition(name = "Queue cap", description = "Bytes waiting for Redis at most; past it, messages are delivered on this node only and counted as dropped.", min = "1")
    long queueCapBytes() default 8L << 20;

    @AttributeDefinition(name = "Timeout (ms)", description = "How long a connection attempt or a request to Redis may take.", min = "1")
    long timeoutMillis() default 2_000;

    @AttributeDefinition(name = "Maximum backoff (ms)", description = "The longest wait between reconnection attempts (from 100 ms, doubling).", min = "100")
    long maxBackoffMillis() default 5_000;
}

package io.switchboard.whiteboard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code SwitchboardClient} service's configuration, {@code io.switchboard.client}; every value has a default. */
@ObjectClassDefinition(
        name = "Switchboard client",
        description = "Outbound WebSocket connections that bundles open through the SwitchboardClient service. Changes apply to connections opened afterwards.")
@interface ClientConfiguration {

    @AttributeDefinition(name = "Connect timeout (ms)", description = "How long the TCP connect may take.", min = "1")
    long connectTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Handshake timeout (ms)", description = "From the connect to the server's whole 101, a proxy's answer and TLS included.", min = "1")
    long handshakeTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Maximum message size", description = "Bytes the server may send in one message, after permessage-deflate inflation; larger gets 1009.", min = "125")
    int maxMessageSize() default 1 << 20;

    @AttributeDefinition(name = "Maximum frame size", description = "Bytes in one frame; 0 for the message size. Larger gets 1009.", min = "0")
    int maxFrameSize() default 0;

    @AttributeDefinition(name = "Maximum fragments", description = "Frames per message; more gets 1009.", min = "1")
    int maxFragments() default 4096;

    @AttributeDefinition(name = "Close timeout (ms)", description = "How long to wait for the server's Close before closing TCP.", min = "1")
    long closeTimeoutMillis() default 5_000;

    @AttributeDefinition(name = "Idle timeout (ms)", description = "Close with 1001 after this long without input; 0 for never.", min = "0")
    long idleTimeoutMillis() default 0;

    @AttributeDefinition(name = "Ping interval (ms)", description = "Ping after this long without input, close if no pong within as long; 0 for no keepalive.", min = "0")
    long pingIntervalMillis() default 0;

    @AttributeDefinition(name = "Send queue low water mark", description = "Bytes queued below which a connection is writable again.", min = "0")
    long sendLowWater() default 64 * 1024;

    @AttributeDefinition(name = "Send queue high water mark", description = "Bytes queued above which a connection is not writable.", min = "0")
    long sendHighWater() default 256 * 1024;

    @AttributeDefinition(name = "Send queue cap", description = "Bytes queued above which the connection is closed with 1008.", min = "0")
    long sendQueueCap() default 16L * 1024 * 1024;

    @AttributeDefinition(name = "Offer permessage-deflate", description = "Offer permessage-deflate (RFC 7692) to servers.")
    boolean perMessageDeflate() default false;

    @AttributeDefinition(name = "Compression context takeover", description = "Offer to keep compression contexts from message to message: better ratios for small similar messages, about 300 KB of zlib memory per connection. Off: every message is compressed on its own.")
    boolean deflateContextTakeover() default false;

    @AttributeDefinition(name = "TLS truststore", description = "Path of a keystore whose certificates wss servers must chain to (a key in it is the client certificate for servers that ask for one); empty for the JDK's default trust and no client certificate.")
    String tlsTruststore() default "";

    @AttributeDefinition(name = "TLS truststore password", type = AttributeType.PASSWORD)
    String tlsTruststorePassword() default "";

    @AttributeDefinition(name = "TLS truststore type", description = "PKCS12 or JKS.")
    String tlsTruststoreType() default "PKCS12";

    @AttributeDefinition(name = "HTTP proxy", description = "host:port of an HTTP proxy to tunnel through with CONNECT; empty to connect directly.")
    String proxy() default "";

    @AttributeDefinition(name = "Proxy user", description = "Sent with CONNECT (Basic) when set.")
    String proxyUser() default "";

    @AttributeDefinition(name = "Proxy password", type = AttributeType.PASSWORD)
    String proxyPassword() default "";
}

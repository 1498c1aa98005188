package io.switchboard.whiteboard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One endpoint's configuration: a factory configuration of {@code io.switchboard.endpoint}. */
@ObjectClassDefinition(
        name = "Switchboard endpoint",
        description = "A WebSocket endpoint: one listening address whose connections go to ConnectionHandler services.")
@interface EndpointConfiguration {

    @AttributeDefinition(name = "Name", description = "Names the endpoint for handlers' endpoint targets and for tools; defaults to the configuration's PID.")
    String name() default "";

    @AttributeDefinition(name = "Host", description = "The address to listen on; empty for every interface.")
    String host() default "";

    @AttributeDefinition(name = "Port", description = "The port to listen on; 0 picks a free one.", min = "0", max = "65535")
    int port() default 8080;

    @AttributeDefinition(name = "Selector loops", description = "Threads sharing the connections; 0 for one per processor.", min = "0")
    int loops() default 0;

    @AttributeDefinition(name = "Maximum message size", description = "Bytes, text or binary, after permessage-deflate inflation; larger gets 1009.", min = "125")
    int maxMessageSize() default 1 << 20;

    @AttributeDefinition(name = "Maximum frame size", description = "Bytes in one frame; 0 for the message size. Larger gets 1009.", min = "0")
    int maxFrameSize() default 0;

    @AttributeDefinition(name = "Maximum fragments", description = "Frames per message; more gets 1009.", min = "1")
    int maxFragments() default 4096;

    @AttributeDefinition(name = "Maximum request head", description = "Bytes in an opening request's head; more gets 431.", min = "256")
    int maxHeaderBytes() default 8192;

    @AttributeDefinition(name = "Maximum header fields", description = "Fields in an opening request; more gets 431.", min = "8")
    int maxHeaderCount() default 100;

    @AttributeDefinition(name = "Handshake timeout (ms)", description = "From accept to the end of the request head; not reset by trickling bytes. Past it: 408.", min = "1")
    long handshakeTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Close timeout (ms)", description = "How long to wait for the peer's Close before closing TCP.", min = "1")
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

    @AttributeDefinition(name = "permessage-deflate", description = "Accept permessage-deflate (RFC 7692) offers.")
    boolean perMessageDeflate() default false;

    @AttributeDefinition(name = "Compression context takeover", description = "Let compression contexts last from message to message where the client allows it: better ratios for small similar messages, about 300 KB of zlib memory per connection. Off: every connection resets after each message and keeps no zlib state between messages.")
    boolean deflateContextTakeover() default false;

    @AttributeDefinition(name = "Swap grace period (ms)", description = "How long connections whose handler went away wait, reads paused, for a replacement before 1001.", min = "1")
    long swapGracePeriodMillis() default 30_000;

    @AttributeDefinition(name = "Detach timeout (ms)", description = "How long the removal of a handler service (unregister, bundle stop or update) waits for its callbacks in progress to return; a connection whose callback still runs then is closed with 1011.", min = "1")
    long detachTimeoutMillis() default 5_000;

    @AttributeDefinition(name = "Allowed origins", description = "Browser origins admitted besides the server's own, e.g. https://example.com; * for all. Requests without Origin and same-origin ones are always admitted; others get 403.")
    String[] allowedOrigins() default {};

    @AttributeDefinition(name = "Maximum connections", description = "Connections the endpoint holds at most; handshakes beyond get 503.", min = "1")
    int maxConnections() default 65_536;

    @AttributeDefinition(name = "Maximum connections per address", description = "Connections one remote address holds at most; its handshakes beyond get 503.", min = "1")
    int maxConnectionsPerAddress() default 4096;

    @AttributeDefinition(name = "TLS keystore", description = "Path of the keystore with the server's key and certificate; empty for plain ws, set for wss.")
    String tlsKeystore() default "";

    @AttributeDefinition(name = "TLS keystore password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tlsKeystorePassword() default "";

    @AttributeDefinition(name = "TLS keystore type", description = "PKCS12 or JKS.")
    String tlsKeystoreType() default "PKCS12";

    @AttributeDefinition(name = "TLS protocols", description = "Enabled protocols, e.g. TLSv1.3; empty for the JDK's defaults.")
    String[] tlsProtocols() default {};

    @AttributeDefinition(name = "TLS cipher suites", description = "Enabled cipher suites; empty for the JDK's defaults.")
    String[] tlsCipherSuites() default {};

    @AttributeDefinition(name = "Require client certificates", description = "Clients must present a certificate the keystore trusts.")
    boolean tlsNeedClientAuth() default false;
}

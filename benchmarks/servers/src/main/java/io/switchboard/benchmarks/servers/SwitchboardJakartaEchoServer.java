package io.switchboard.benchmarks.servers;

import java.time.Duration;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;

/**
 * The annotated {@link JakartaEcho} on Switchboard's engine through {@link JakartaEndpoints}, with
 * the engine set up as {@link SwitchboardEchoServer} sets it (one loop, the same raised limits), so
 * that the difference from the native echo is the Jakarta layer. Deployed inline (callbacks on
 * the loop) by default, as an endpoint that never blocks should be; {@code blocking} keeps the
 * default deployment, whose callbacks run on a worker (one, the server being pinned to one CPU).
 * Plain WebSocket only: no TLS, no permessage-deflate.
 */
final class SwitchboardJakartaEchoServer implements EchoServer {
    private static final int MAX_CONNECTIONS = 1_000_000;

    private final boolean blocking;

    SwitchboardJakartaEchoServer(boolean blocking) {
        this.blocking = blocking;
    }

    @Override
    public int start(Options options) throws Exception {
        if (options.tls() || options.deflate()) {
            throw new IllegalArgumentException("the Jakarta echo serves plain WebSocket only");
        }
        JakartaEndpoints.Builder deployment = JakartaEndpoints.builder().add(JakartaEcho.class);
        if (!blocking) {
            deployment.inline();
        }
        JakartaEndpoints endpoints = deployment.build();
        endpoints.container().setDefaultMaxTextMessageBufferSize(MAX_MESSAGE_SIZE);
        endpoints.container().setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE_SIZE);
        return WebSocketServer.builder()
                .name("bench-jakarta")
                .host(HOST)
                .port(options.port())
                .loops(1)
                .workers(1)
                .maxMessageSize(MAX_MESSAGE_SIZE)
                .maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerAddress(MAX_CONNECTIONS)
                .sendQueue(64 * 1024, 256 * 1024, 16L * MAX_MESSAGE_SIZE)
                .allowedOrigins("*")
                .idleTimeout(Duration.ZERO)
                .router(endpoints)
                .start()
                .port();
    }
}

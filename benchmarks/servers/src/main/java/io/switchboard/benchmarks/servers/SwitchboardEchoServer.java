package io.switchboard.benchmarks.servers;

import java.time.Duration;

import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.examples.echo.EchoHandler;

/**
 * Switchboard's endpoint with one selector loop and the echo example's {@link EchoHandler}
 * running inline on it. Limits are raised where their safe defaults would refuse the
 * benchmark's load: connection counts (every client comes from 127.0.0.1), the message size,
 * and the send queue cap, which must hold one echoed 16 MiB message.
 */
final class SwitchboardEchoServer implements EchoServer {
    private static final int MAX_CONNECTIONS = 1_000_000;
    private static final long SEND_LOW_WATER = 64 * 1024;
    private static final long SEND_HIGH_WATER = 256 * 1024;
    private static final long SEND_QUEUE_CAP = 16L * MAX_MESSAGE_SIZE;

    @Override
    public int start(Options options) throws Exception {
        // Every path, as with the other servers: the load generator uses /echo.
        Route echo = Route.to(HandlerBinding.of(new EchoHandler(), false));
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .name("bench")
                .host(HOST)
                .port(options.port())
                .loops(1)
                .workers(1) // unused: the echo handler is not blocking
                .maxMessageSize(MAX_MESSAGE_SIZE)
                .maxConnections(MAX_CONNECTIONS)
                .maxConnectionsPerAddress(MAX_CONNECTIONS)
                .sendQueue(SEND_LOW_WATER, SEND_HIGH_WATER, SEND_QUEUE_CAP)
                .allowedOrigins("*")
                .idleTimeout(Duration.ZERO)
                .perMessageDeflate(options.deflate())
                .router(path -> echo);
        if (options.tls()) {
            builder.tls(TlsKeyStore.sslContext(options));
        }
        return builder.start().port();
    }
}

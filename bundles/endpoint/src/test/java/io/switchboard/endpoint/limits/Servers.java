package io.switchboard.endpoint.limits;

import java.time.Duration;

import io.switchboard.endpoint.WebSocketServer;

/** Servers for these tests: loopback, a free port, one loop, and a short close timeout so that stopping is quick. */
final class Servers {
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);

    private Servers() {
    }

    static WebSocketServer.Builder local() {
        return WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .loops(1)
                .closeTimeout(CLOSE_TIMEOUT);
    }
}

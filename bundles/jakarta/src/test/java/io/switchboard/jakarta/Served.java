package io.switchboard.jakarta;

import java.io.IOException;
import java.net.URI;

import io.switchboard.endpoint.WebSocketServer;

/** A real server on a free loopback port serving Jakarta endpoints, for one test class. */
final class Served implements AutoCloseable {
    final JakartaEndpoints endpoints;
    final WebSocketServer server;

    Served(JakartaEndpoints endpoints, WebSocketServer.Builder settings) throws IOException {
        this.endpoints = endpoints;
        this.server = settings.host("127.0.0.1").port(0).router(endpoints).start();
    }

    Served(JakartaEndpoints endpoints) throws IOException {
        this(endpoints, WebSocketServer.builder());
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
    }

    @Override
    public void close() {
        server.stop();
        endpoints.close();
    }
}

package io.switchboard.endpoint.limits;

import static io.switchboard.endpoint.limits.HeaderLimitsTest.assertError;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * The Origin policy (403 for a foreign browser origin) and the connection limits per endpoint and
 * per remote address (503), each with its exact answer, and what they must still admit.
 */
class OriginAndConnectionLimitsTest {
    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "Origin: {0}")
    @ValueSource(strings = {"http://127.0.0.1", "http://127.0.0.1:80", "HTTP://127.0.0.1"})
    void aSameOriginBrowserRequestIsAdmitted(String origin) throws Exception {
        server = Servers.local().route("/echo", new Recorder()).start();
        upgradeWith("Host: 127.0.0.1", "Origin: " + origin);
    }

    @Test
    void aRequestWithoutOriginIsAdmitted() throws Exception {
        server = Servers.local().route("/echo", new Recorder()).start();
        upgradeWith("Host: 127.0.0.1");
    }

    @ParameterizedTest(name = "Origin: {0}")
    @ValueSource(strings = {"https://evil.example", "http://127.0.0.1:8081", "https://127.0.0.1", "null"})
    void aForeignOriginIs403(String origin) throws Exception {
        server = Servers.local().route("/echo", new Recorder()).start();
        assertError(RawWebSocketClient.exchange(server.port(), request("Host: 127.0.0.1", "Origin: " + origin)),
                "HTTP/1.1 403 Origin Not Allowed");
    }

    @Test
    void twoOriginFieldsAre403() throws Exception {
        server = Servers.local().route("/echo", new Recorder()).start();
        assertError(RawWebSocketClient.exchange(server.port(), request("Host: 127.0.0.1", "Origin: http://127.0.0.1", "Origin: http://127.0.0.1")),
                "HTTP/1.1 403 Origin Not Allowed");
    }

    @Test
    void anAllowListedOriginIsAdmittedAndOthersAreNot() throws Exception {
        server = Servers.local().allowedOrigins("https://app.example").route("/echo", new Recorder()).start();
        upgradeWith("Host: 127.0.0.1", "Origin: https://app.example");
        assertError(RawWebSocketClient.exchange(server.port(), request("Host: 127.0.0.1", "Origin: https://other.example")),
                "HTTP/1.1 403 Origin Not Allowed");
    }

    @Test
    void theWildcardAdmitsEveryOrigin() throws Exception {
        server = Servers.local().allowedOrigins("*").route("/echo", new Recorder()).start();
        upgradeWith("Host: 127.0.0.1", "Origin: https://anywhere.example");
    }

    @Test
    void connectionsPastThePerAddressLimitGet503AndTheLimitFreesUpWhenOneCloses() throws Exception {
        server = Servers.local().maxConnectionsPerAddress(2).route("/echo", new Recorder()).start();
        List<RawWebSocketClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawWebSocketClient client = RawWebSocketClient.connect(server.port());
                open.add(client);
                client.upgrade("/echo");
            }
            assertError(RawWebSocketClient.exchange(server.port(), UpgradeRequest.to("/echo")), "HTTP/1.1 503 Too Many Connections");
            open.remove(0).close();
            awaitAdmitted();
        } finally {
            for (RawWebSocketClient client : open) {
                client.close();
            }
        }
    }

    @Test
    void connectionsPastTheEndpointLimitGet503() throws Exception {
        server = Servers.local().maxConnections(1).route("/echo", new Recorder()).start();
        try (RawWebSocketClient first = RawWebSocketClient.connect(server.port())) {
            first.upgrade("/echo");
            assertError(RawWebSocketClient.exchange(server.port(), UpgradeRequest.to("/echo")), "HTTP/1.1 503 Too Many Connections");
        }
    }

    /** The server counts a closed socket down once it has seen the close: retry until then. */
    private void awaitAdmitted() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
                client.send(UpgradeRequest.to("/echo"));
                RawResponse response = client.readResponseHead();
                if (response.status() == 101) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still refused: " + response);
                }
            }
        }
    }

    private void upgradeWith(String... fields) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(request(fields));
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
        }
    }

    /** An upgrade request for /echo with these Host and Origin fields. */
    private static String request(String... fields) {
        List<String> head = UpgradeRequest.fields();
        head.removeIf(field -> field.startsWith("Host:"));
        head.addAll(List.of(fields));
        return UpgradeRequest.head("GET /echo HTTP/1.1", head);
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/** The bounds on the opening request head: bytes (431, or 414 in the request line) and fields (431). */
class HeaderLimitsTest {
    private static final String REQUEST_LINE = "GET /echo HTTP/1.1";

    @Test
    void headOverMaxHeaderBytesGets431() throws Exception {
        try (WebSocketServer server = Servers.local().maxHeaderBytes(512).route("/echo", new Recorder()).start()) {
            assertUpgrades(server.port(), paddedTo(512));
            assertError(RawWebSocketClient.exchange(server.port(), paddedTo(513)), "HTTP/1.1 431 Request Header Fields Too Large");
        }
    }

    @Test
    void defaultHeaderBytesAdmitExactly8KiB() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", new Recorder()).start()) {
            assertUpgrades(server.port(), paddedTo(8192));
            assertError(RawWebSocketClient.exchange(server.port(), paddedTo(8193)), "HTTP/1.1 431 Request Header Fields Too Large");
        }
    }

    @Test
    void moreThanMaxHeaderCountGets431() throws Exception {
        try (WebSocketServer server = Servers.local().maxHeaderCount(10).route("/echo", new Recorder()).start()) {
            assertUpgrades(server.port(), withFieldCount(10));
            assertError(RawWebSocketClient.exchange(server.port(), withFieldCount(11)), "HTTP/1.1 431 Request Header Fields Too Large");
        }
    }

    @Test
    void defaultHeaderCountIs100() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", new Recorder()).start()) {
            assertUpgrades(server.port(), withFieldCount(100));
            assertError(RawWebSocketClient.exchange(server.port(), withFieldCount(101)), "HTTP/1.1 431 Request Header Fields Too Large");
        }
    }

    @Test
    void requestLineOverDefaultLimitGets414() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", new Recorder()).start()) {
            String longTarget = "/echo?q=" + "a".repeat(8200);
            RawResponse response = RawWebSocketClient.exchange(server.port(),
                    UpgradeRequest.head("GET " + longTarget + " HTTP/1.1", UpgradeRequest.fields()));
            assertError(response, "HTTP/1.1 414 URI Too Long");
        }
    }

    @Test
    void requestLineOverConfiguredLimitGets414() throws Exception {
        try (WebSocketServer server = Servers.local().maxHeaderBytes(300).route("/echo", new Recorder()).start()) {
            RawResponse response = RawWebSocketClient.exchange(server.port(),
                    UpgradeRequest.head("GET /echo?q=" + "a".repeat(300) + " HTTP/1.1", UpgradeRequest.fields()));
            assertError(response, "HTTP/1.1 414 URI Too Long");
        }
    }

    /** A valid upgrade request of exactly {@code total} bytes, blank line included, padded with one field. */
    static String paddedTo(int total) {
        int withoutPad = UpgradeRequest.to("/echo").length();
        List<String> fields = UpgradeRequest.fields();
        String name = "X-Pad: ";
        int padLength = total - withoutPad - name.length() - 2;
        fields.add(name + "p".repeat(padLength));
        String request = UpgradeRequest.head(REQUEST_LINE, fields);
        assertEquals(total, request.length());
        return request;
    }

    /** A valid upgrade request with exactly {@code count} header fields. */
    static String withFieldCount(int count) {
        List<String> fields = UpgradeRequest.fields();
        for (int i = fields.size(); i < count; i++) {
            fields.add("X-Field-" + i + ": " + i);
        }
        assertEquals(count, fields.size());
        return UpgradeRequest.head(REQUEST_LINE, fields);
    }

    static void assertUpgrades(int port, String request) throws IOException {
        try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
            client.send(request);
            UpgradeRequest.assertSwitchingProtocols(client.readResponseHead());
        }
    }

    /** An error response from the server: the status line, and a body that ends the connection. */
    static void assertError(RawResponse response, String statusLine) {
        assertEquals(statusLine, response.statusLine(), response::toString);
        assertEquals(Optional.of("close"), response.header("Connection"), response::toString);
        assertEquals(Optional.of("text/plain; charset=utf-8"), response.header("Content-Type"), response::toString);
        assertEquals(Optional.of(Integer.toString(response.body().length)), response.header("Content-Length"));
    }
}

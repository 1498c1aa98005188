package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.switchboard.api.Connection;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawWebSocketClient;

/** A handler callback that throws closes its own connection with 1011, and only that one. */
class HandlerFailureTest {

    @Test
    void throwingHandlerClosesWith1011AndOtherConnectionsCarryOn() throws Exception {
        RuntimeException boom = new IllegalStateException("boom on purpose");
        Recorder handler = new Recorder() {
            @Override
            public void message(Connection connection, String text) {
                if (text.equals("boom")) {
                    throw boom;
                }
                super.message(connection, text);
            }
        };
        try (WebSocketServer server = Servers.local().loops(1).route("/echo", handler).start();
             RawWebSocketClient failing = RawWebSocketClient.open(server.port(), "/echo");
             RawWebSocketClient other = RawWebSocketClient.open(server.port(), "/echo")) {
            Connection failingConnection = handler.awaitConnect();
            other.sendText("before");
            assertEquals("before", other.readFrame().text());

            failing.sendText("boom");
            FrameLimitsTest.assertFailed(failing, handler, 1011, "internal error");
            assertEquals(boom, Recorder.await(handler.failures, "failure"));
            assertTrue(!failingConnection.isOpen());

            other.sendText("after");
            assertEquals("after", other.readFrame().text());
            assertTrue(handler.ended.isEmpty(), "the other connection was closed too");
        }
    }
}

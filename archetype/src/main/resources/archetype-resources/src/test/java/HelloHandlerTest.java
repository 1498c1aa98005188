package ${package};

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.NumberedMessages;

/** The handler on a server started with the plain builder, no OSGi: the quick test. */
class HelloHandlerTest {

    @Test
    void greetsEachMessageInOrder() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .route(HelloHandler.ROUTE, new HelloHandler())
                .start();
             JdkWebSocketClient client = JdkWebSocketClient.connect(
                     URI.create("ws://127.0.0.1:" + server.port() + HelloHandler.ROUTE))) {
            NumberedMessages.over(client).roundTrips(5, n -> HelloHandler.GREETING + n);
        }
    }
}

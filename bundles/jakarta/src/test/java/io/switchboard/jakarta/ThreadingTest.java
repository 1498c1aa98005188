package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** Where callbacks run, and what a basic (blocking) send does there. */
class ThreadingTest {

    @ServerEndpoint("/where")
    public static class Where {
        @OnMessage
        public void message(String text, Session session) throws IOException {
            // A blocking send: it waits for the write on a worker, and only queues on a selector loop.
            session.getBasicRemote().sendText(text + " " + Thread.currentThread().getName().startsWith("switchboard-worker-"));
        }
    }

    @ServerEndpoint("/future")
    public static class WaitsForFuture {
        @OnMessage
        public String message(String text, Session session) throws Exception {
            try {
                session.getAsyncRemote().sendText("sent").get(10, TimeUnit.SECONDS);
                return "waited";
            } catch (IllegalStateException refused) {
                return "refused: " + refused.getMessage();
            }
        }
    }

    @Test
    void waitingForAnAsyncSendOnTheLoopIsRefusedNotHung() throws Exception {
        try (Served served = new Served(JakartaEndpoints.builder().add(WaitsForFuture.class).inline().build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/future"))) {
            assertEquals("sent", client.request("go"));
            assertEquals("refused: waiting on a selector loop for a send that this loop is to write", client.awaitText());
        }
        try (Served served = new Served(JakartaEndpoints.builder().add(WaitsForFuture.class).build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/future"))) {
            assertEquals("sent", client.request("go"));
            assertEquals("waited", client.awaitText());
        }
    }

    @Test
    void endpointsAreBlockingByDefaultSoBasicSendsWaitOnWorkers() throws Exception {
        try (Served served = new Served(JakartaEndpoints.builder().add(Where.class).build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/where"))) {
            assertEquals("1 true", client.request("1"));
        }
    }

    @Test
    void inlineEndpointsRunOnTheLoopWhereBasicSendsDoNotWait() throws Exception {
        try (Served served = new Served(JakartaEndpoints.builder().add(Where.class).inline().build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/where"))) {
            for (int i = 0; i < 200; i++) {
                assertEquals(i + " false", client.request(Integer.toString(i)));
            }
        }
    }
}

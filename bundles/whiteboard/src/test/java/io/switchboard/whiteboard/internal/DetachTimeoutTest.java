package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.BLOCKING;
import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The endpoint configuration's {@code detachTimeoutMillis} bounds how long the removal of a
 * handler service waits for a callback that does not return; that callback's connection gets 1011.
 */
class DetachTimeoutTest {
    private Whiteboard whiteboard;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        whiteboard = new Whiteboard();
    }

    @AfterEach
    void stop() throws Exception {
        released.countDown();
        whiteboard.close();
    }

    @Test
    void aRemovalWaitsForAStuckCallbackOnlyAsLongAsConfigured() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint("detachTimeoutMillis", 300L);
        ServiceRegistration<ConnectionHandler> registration = whiteboard.register(new Stuck(), ROUTE, "/stuck", BLOCKING, true);
        JdkWebSocketClient client = whiteboard.connect(endpoint, "/stuck");
        client.send("block");
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the callback did not start");

        long started = System.nanoTime();
        registration.unregister();
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(waited.compareTo(Duration.ofMillis(300)) >= 0, "returned before the detach timeout: " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(3)) < 0, "waited as long as the default 5 s: " + waited);
        assertEquals(CloseStatus.INTERNAL_ERROR, client.awaitClose().code());
    }

    /** A blocking handler whose message callback waits until the test ends. */
    private final class Stuck implements ConnectionHandler {
        @Override
        public void message(Connection connection, String text) {
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * The TLS handshake's delegated tasks (key exchange, signature) run on the endpoint's task
 * executor, not on the loop: on a server with one loop, a handshake whose tasks are held back
 * leaves the loop free, and a connection already open round-trips meanwhile. Held tasks then run
 * and the handshake completes; tasks of a connection closed meanwhile (its handshake timed out)
 * run into a closed connection and harm nothing. The executor here hands every task to the test,
 * which runs it when the schedule says: a task run on the loop would never reach it.
 */
@Timeout(60)
class TlsTasksOffTheLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Tasks the server handed over, in order; while {@link #holding}, the test runs them. */
    private final BlockingQueue<Runnable> handedOver = new LinkedBlockingQueue<>();
    private volatile boolean holding;
    private final List<Thread> runners = new ArrayList<>();
    private SSLContext clientContext;
    private WebSocketServer server;

    @BeforeEach
    void start() throws Exception {
        clientContext = TestKeys.client();
        Executor gate = task -> {
            if (holding) {
                handedOver.add(task);
            } else {
                run(task);
            }
        };
        server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1).tls(TestKeys.server()).tlsTasks(gate)
                .handshakeTimeout(Duration.ofSeconds(2))
                .route("/echo", new ConnectionHandler() {
                    @Override
                    public void message(Connection connection, String text) {
                        connection.send(text);
                    }
                }).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop();
        for (Thread runner : runners) {
            runner.join(WAIT.toMillis());
        }
    }

    @Test
    void theLoopServesAnOpenConnectionWhileAHandshakeComputes() throws Exception {
        JdkWebSocketClient open = connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("before", open.request("before"));

        holding = true;
        CompletableFuture<JdkWebSocketClient> opening = connect();
        Runnable held = handedOver.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(held, "the second handshake's tasks reach the executor");
        for (int i = 0; i < 50; i++) {
            assertEquals("during " + i, open.request("during " + i), "the one loop answers while the handshake computes");
        }
        assertFalse(opening.isDone(), "the handshake waits for its tasks");

        holding = false;
        run(held);
        for (Runnable more; (more = handedOver.poll()) != null; ) {
            run(more);
        }
        JdkWebSocketClient second = opening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("after", second.request("after"));
        assertEquals("still", open.request("still"));
    }

    @Test
    void tasksOfAConnectionClosedMeanwhileHarmNothing() throws Exception {
        JdkWebSocketClient open = connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        holding = true;
        CompletableFuture<JdkWebSocketClient> opening = connect();
        Runnable held = handedOver.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(held, "the second handshake's tasks reach the executor");
        // The handshake timeout (2 s) closes the connection while its tasks are held.
        assertThrows(Exception.class, () -> opening.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        holding = false;
        run(held);
        assertEquals("fine", open.request("fine"), "the loop goes on after the late tasks");
        JdkWebSocketClient next = connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("next", next.request("next"));
    }

    private CompletableFuture<JdkWebSocketClient> connect() {
        return JdkWebSocketClient.to(URI.create("wss://127.0.0.1:" + server.port() + "/echo"))
                .sslContext(clientContext).connectAsync();
    }

    /** Runs a task on a thread of its own, as a pool would. */
    private void run(Runnable task) {
        Thread runner = new Thread(task, "test-tls-task");
        synchronized (runners) {
            runners.add(runner);
        }
        runner.start();
    }
}

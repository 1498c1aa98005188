package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client, the JDK's, for tests: it queues the text messages it receives and
 * records how the server closed the connection. Every wait is bounded by {@link #TIMEOUT_SECONDS}.
 */
final class WsClient implements WebSocket.Listener {
    static final long TIMEOUT_SECONDS = 10;

    private final URI uri;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private WsClient(URI uri) {
        this.uri = uri;
    }

    /**
     * Starts opening a connection: the stage completes with the client, or exceptionally with
     * the JDK's {@link WebSocketHandshakeException} if the server refuses the handshake.
     */
    static CompletableFuture<WsClient> openAsync(HttpClient http, URI uri) {
        WsClient client = new WsClient(uri);
        return http.newWebSocketBuilder().buildAsync(uri, client).thenApply(socket -> {
            client.socket = socket;
            return client;
        });
    }

    /** Opens a connection; fails the test if the handshake does not succeed. */
    static WsClient open(HttpClient http, URI uri) throws Exception {
        try {
            return openAsync(http, uri).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("handshake with " + uri + " failed: " + describe(e.getCause()), e.getCause());
        }
    }

    /** The HTTP status with which the server refuses a handshake; fails the test if it accepts. */
    static int refusal(HttpClient http, URI uri) throws Exception {
        try {
            openAsync(http, uri).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).abort();
        } catch (ExecutionException e) {
            return status(e);
        }
        fail("the handshake with " + uri + " was accepted");
        return -1;
    }

    /** The HTTP status of a refused handshake, from the failure of {@link #openAsync}. */
    static int status(ExecutionException failure) {
        if (failure.getCause() instanceof WebSocketHandshakeException refused) {
            return refused.getResponse().statusCode();
        }
        throw new AssertionError("the handshake failed without an HTTP answer", failure.getCause());
    }

    /** Sends one text message and waits until it is written. */
    void send(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The next text message; fails the test if none comes in time. */
    String receive() throws InterruptedException {
        String message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("no message from " + uri + " within " + TIMEOUT_SECONDS + " s"
                + (closeCode.isDone() ? " (closed: " + closeCode.getNow(null) + ")" : ""), message);
        return message;
    }

    /** Sends {@code text} and returns the answer. */
    String request(String text) throws Exception {
        send(text);
        return receive();
    }

    /** The code of the server's Close frame; fails the test if it does not come in time. */
    int awaitClose() throws Exception {
        try {
            return closeCode.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no Close frame from " + uri + " within " + TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new AssertionError("the connection to " + uri + " failed without a Close frame: "
                    + describe(e.getCause()), e.getCause());
        }
    }

    /** Fails the test if the server closed or dropped the connection. */
    void assertOpen() {
        assertFalse("the connection to " + uri + " ended: " + closeCode, closeCode.isDone());
        assertFalse("the connection to " + uri + " lost its input", socket.isInputClosed());
    }

    /** Fails the test unless no message has arrived that was not yet received. */
    void assertNothingReceived() {
        assertEquals("unexpected messages from " + uri, 0, messages.size());
    }

    /** Closes with 1000 and waits for the server's answer, unless the connection already ended. */
    void close() throws Exception {
        if (!closeCode.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            awaitClose();
        }
    }

    /** Drops the TCP connection at once, as a clean-up. */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    private static String describe(Throwable cause) {
        return cause instanceof WebSocketHandshakeException refused
                ? "HTTP " + refused.getResponse().statusCode()
                : String.valueOf(cause);
    }
}

package io.switchboard.itests.karaf;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's WebSocket client, with its text messages queued and its close recorded; every wait bounded. */
final class Client implements WebSocket.Listener, AutoCloseable {
    private final long timeoutSeconds;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> close = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile int closeCode;
    private WebSocket socket;

    private Client(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    static Client open(URI uri, long timeoutSeconds) throws Exception {
        Client client = new Client(timeoutSeconds);
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client)
                .get(timeoutSeconds, TimeUnit.SECONDS);
        return client;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** The next text message; fails if none comes in time. */
    String next() throws InterruptedException {
        String message = messages.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeoutSeconds + " s"
                    + (closed() ? "; the server closed the connection with " + closeCode : ""));
        }
        return message;
    }

    /** Skips messages until one matches; fails if none does in time. */
    String nextMatching(java.util.function.Predicate<String> wanted) throws InterruptedException {
        java.util.List<String> skipped = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            String message = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message != null && wanted.test(message)) {
                return message;
            }
            if (message != null) {
                skipped.add(message);
            }
        }
        throw new AssertionError("no such message within " + timeoutSeconds + " s; got " + skipped
                + (closed() ? "; the server closed the connection with " + closeCode : ""));
    }

    boolean closed() {
        return close.isDone();
    }

    /** Waits for the server's close frame; its status code. */
    int closeCode() throws Exception {
        close.get(timeoutSeconds, TimeUnit.SECONDS);
        return closeCode;
    }

    String closeReason() throws Exception {
        return close.get(timeoutSeconds, TimeUnit.SECONDS);
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
        closeCode = statusCode;
        close.complete(reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        close.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}

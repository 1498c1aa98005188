package io.switchboard.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JDK WebSocket client that records every line the chat server sends it. */
final class ChatClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private ChatClient(HttpClient http, URI uri) {
        socket = http.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    /** Connects, expecting nothing. */
    static ChatClient open(HttpClient http, URI uri) {
        return new ChatClient(http, uri);
    }

    /** Connects and consumes the server's prompt for a nickname. */
    static ChatClient connect(HttpClient http, URI uri) {
        ChatClient client = open(http, uri);
        client.expect("? pick a nickname");
        return client;
    }

    /** Connects and joins as {@code nickname}, consuming the lines of the joining. */
    static ChatClient join(HttpClient http, URI uri, String nickname) {
        ChatClient client = connect(http, uri);
        client.send(nickname);
        client.expect("+ " + nickname);
        client.expect("* " + nickname + " joined");
        client.next(line -> line.startsWith("* online: "));
        return client;
    }

    /** Sends a line and waits until it is written, so a client's lines go out in order. */
    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary() {
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
    }

    /** The next line, failing after a while. */
    String next() {
        try {
            String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(line, "no line from the server within " + WAIT);
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void expect(String line) {
        assertEquals(line, next());
    }

    /** Skips lines until one matches, and returns it. */
    String next(Predicate<String> wanted) {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String line = next();
            if (wanted.test(line)) {
                return line;
            }
            skipped.add(line);
        }
        return fail("no matching line among " + skipped);
    }

    /** Lines received and not yet consumed, without waiting. */
    List<String> pending() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }

    /** Waits for the server to close the connection, and returns the close code. */
    int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        }
        awaitClose();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                lines.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}

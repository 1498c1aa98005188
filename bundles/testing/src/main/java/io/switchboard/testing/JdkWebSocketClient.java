package io.switchboard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

/**
 * A real WebSocket client for tests, the JDK's {@link WebSocket}, turned from callbacks into a
 * queue the test thread waits on. Every wait is bounded by the client's timeout
 * ({@link #DEFAULT_TIMEOUT} unless the {@link Builder} sets another) and fails the test with an
 * {@link AssertionError} that says what did not come; nothing here sleeps.
 *
 * <p>What the server sends arrives as {@link Event}s, in order: each text or binary message
 * whole (its frames put together), then the {@link Closed} frame or the {@link Failed} error that
 * ended the connection. Pings and pongs can come between any two messages, so they are kept
 * apart ({@link #awaitPing()}, {@link #awaitPong()}) and a test waiting for a message never has
 * to step over them; the client answers pings by itself.
 *
 * <p><b>Checking that nothing happened.</b> Never sleep and then look: a message or a close that
 * is on its way when the look is taken passes unseen. Make a round trip first —
 * {@link #request(String)} a message the server answers, and wait for the answer — so that
 * whatever the server did before answering has arrived ahead of it; then {@link #drainEvents()},
 * {@link #assertOpen()} or the handler's own record are conclusive.
 *
 * <p>Sends may be called from any thread: they go out one after the other in the order they were
 * called (the JDK client refuses a send while another is in progress). Once one fails, the ones
 * queued behind it fail too. What comes in is received by an {@link Inbox} on the JDK's threads.
 */
public final class JdkWebSocketClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** One HTTP client for every connection that needs no TLS settings of its own: each one costs a selector thread. */
    private static final HttpClient SHARED_HTTP = HttpClient.newHttpClient();

    /** What the server sent: a whole message, or how the connection ended. */
    public sealed interface Event permits Text, Binary, Closed, Failed {
    }

    public record Text(String text) implements Event {
    }

    public record Binary(byte[] data) implements Event {
        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    /** The server's Close frame (1005 and "" for one without a code). */
    public record Closed(int code, String reason) implements Event {
    }

    /** The connection failed without a Close frame. */
    public record Failed(Throwable error) implements Event {
    }

    private final URI uri;
    private final Duration timeout;
    /** What the JDK's threads deliver; the test's threads take it from there. */
    private final Inbox inbox = new Inbox();
    private volatile WebSocket socket;
    /** The last send; the next one starts when it completes. Guarded by {@code this}. */
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    private JdkWebSocketClient(URI uri, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
    }

    /** Opens a connection to {@code uri}; see {@link Builder#connect()}. */
    public static JdkWebSocketClient connect(URI uri) {
        return to(uri).connect();
    }

    /** Starts describing a connection to {@code uri}: subprotocols, headers, TLS, timeout. */
    public static Builder to(URI uri) {
        return new Builder(uri);
    }

    /** How a connection is opened. */
    public static final class Builder {
        private final URI uri;
        private final List<String> subprotocols = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpClient http;
        private SSLContext tls;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Offers these subprotocols, in this order of preference. */
        public Builder subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        /** Adds a request header (the JDK refuses to let a caller set the handshake's own). */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder origin(String origin) {
            return header("Origin", origin);
        }

        /** Connects through this HTTP client; by default one shared client, or a new one for {@link #sslContext}. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /** The TLS context a wss connection trusts the server with (and presents a client certificate from). */
        public Builder sslContext(SSLContext context) {
            this.tls = context;
            return this;
        }

        /** How long the handshake and every later wait of this client may take. */
        public Builder timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /**
         * Starts the handshake. The stage completes with the client, or exceptionally with the
         * JDK's failure: {@link WebSocketHandshakeException} when the server answered with another
         * status than 101. {@link JdkWebSocketClient#await} turns either into the test's terms.
         */
        public CompletableFuture<JdkWebSocketClient> connectAsync() {
            HttpClient client = http != null ? http
                    : tls != null ? HttpClient.newBuilder().sslContext(tls).build()
                    : SHARED_HTTP;
            WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout);
            headers.forEach(builder::header);
            if (!subprotocols.isEmpty()) {
                builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
            }
            JdkWebSocketClient opened = new JdkWebSocketClient(uri, timeout);
            return builder.buildAsync(uri, opened.inbox).thenApply(socket -> {
                opened.socket = socket;
                return opened;
            });
        }

        /**
         * Opens the connection and waits for it.
         *
         * @throws HandshakeRefusedException if the server answered with another status than 101
         * @throws AssertionError if the handshake failed otherwise or did not end in time
         */
        public JdkWebSocketClient connect() {
            return await(connectAsync(), timeout);
        }

        /** The HTTP status with which the server refuses the handshake; fails the test if it accepts it. */
        public int refusal() {
            try {
                connect().abort();
            } catch (HandshakeRefusedException refused) {
                return refused.status();
            }
            throw new AssertionError("the handshake with " + uri + " was accepted");
        }
    }

    /**
     * Waits for a handshake started with {@link Builder#connectAsync()}.
     *
     * @throws HandshakeRefusedException if the server answered with another status than 101
     * @throws AssertionError if the handshake failed otherwise or did not end in time
     */
    public static JdkWebSocketClient await(CompletableFuture<JdkWebSocketClient> opening, Duration timeout) {
        try {
            return opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefusedException(refused.getResponse().statusCode(),
                        refused.getResponse().headers().map(), refused);
            }
            throw new AssertionError("the opening handshake failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            opening.thenAccept(JdkWebSocketClient::abort); // should it still succeed
            throw new AssertionError("no answer to the opening handshake within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening a connection", e);
        }
    }

    public URI uri() {
        return uri;
    }

    /** The subprotocol the server selected, {@code ""} for none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    // ---------------------------------------------------------------- sending

    public CompletableFuture<Void> sendTextAsync(String text) {
        return enqueue(socket -> socket.sendText(text, true));
    }

    /** One text message as one frame per part: a first frame and continuations, none other between them. */
    public synchronized CompletableFuture<Void> sendTextInPartsAsync(String... parts) {
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean isLast = i == parts.length - 1;
            last = enqueue(socket -> socket.sendText(part, isLast));
        }
        return last;
    }

    public CompletableFuture<Void> sendBinaryAsync(ByteBuffer data) {
        return enqueue(socket -> socket.sendBinary(data, true));
    }

    public CompletableFuture<Void> pingAsync(ByteBuffer payload) {
        return enqueue(socket -> socket.sendPing(payload));
    }

    /** Starts the closing handshake; {@link #awaitClose()} waits for the server's answer. */
    public CompletableFuture<Void> closeAsync(int code, String reason) {
        return enqueue(socket -> socket.sendClose(code, reason));
    }

    /** Sends one text message and waits until it is written. */
    public void send(String text) {
        awaitDone(sendTextAsync(text), "sending a text message");
    }

    /** Sends one binary message and waits until it is written. */
    public void sendBinary(byte[] data) {
        awaitDone(sendBinaryAsync(ByteBuffer.wrap(data)), "sending a binary message");
    }

    /**
     * Sends {@code text} and returns the answer: the barrier a test puts before checking that
     * nothing else happened (see the class comment).
     */
    public String request(String text) {
        send(text);
        return awaitText();
    }

    private synchronized CompletableFuture<Void> enqueue(Function<WebSocket, CompletableFuture<WebSocket>> send) {
        CompletableFuture<Void> next = sends.thenCompose(previous -> send.apply(socket)).thenApply(socket -> null);
        sends = next;
        return next;
    }

    // ---------------------------------------------------------------- receiving

    /** The next event; fails the test if none comes within the timeout. */
    public Event nextEvent() {
        return nextEvent(timeout);
    }

    public Event nextEvent(Duration wait) {
        Event event = pollEvent(wait);
        if (event == null) {
            throw new AssertionError("nothing from " + uri + " within " + wait + ended());
        }
        return event;
    }

    /** The next event, or null if none comes within {@code wait}. */
    public Event pollEvent(Duration wait) {
        return poll(inbox.events, wait);
    }

    /** The next message, which must be a text message; fails the test otherwise. */
    public String awaitText() {
        return awaitText(timeout);
    }

    public String awaitText(Duration wait) {
        Event event = nextEvent(wait);
        if (event instanceof Text text) {
            return text.text();
        }
        throw new AssertionError("expected a text message from " + uri + ", got " + event);
    }

    /** The next message, which must be a binary message; fails the test otherwise. */
    public byte[] awaitBinary() {
        Event event = nextEvent();
        if (event instanceof Binary binary) {
            return binary.data();
        }
        throw new AssertionError("expected a binary message from " + uri + ", got " + event);
    }

    /** Fails the test unless the next message is the text {@code expected}. */
    public void expectText(String expected) {
        String text = awaitText();
        if (!expected.equals(text)) {
            throw new AssertionError("expected the text message <" + expected + "> from " + uri + ", got <" + text + ">");
        }
    }

    /** Passes over text messages until one matches, within the timeout, and returns it. */
    public String awaitTextMatching(Predicate<String> wanted) {
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = pollEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError("no such text message from " + uri + " within " + timeout + "; got " + skipped + ended());
            }
            if (!(event instanceof Text text)) {
                throw new AssertionError("expected a text message from " + uri + ", got " + event + " after " + skipped);
            }
            if (wanted.test(text.text())) {
                return text.text();
            }
            skipped.add(text.text());
        }
    }

    /** The events that have arrived and were not taken yet, without waiting (after a round trip: see the class comment). */
    public List<Event> drainEvents() {
        List<Event> pending = new ArrayList<>();
        inbox.events.drainTo(pending);
        return pending;
    }

    /** The payload of the next ping from the server (already answered). */
    public byte[] awaitPing() {
        return take(inbox.pings, "ping");
    }

    /** The payload of the next pong from the server. */
    public byte[] awaitPong() {
        return take(inbox.pongs, "pong");
    }

    // ---------------------------------------------------------------- the end

    /** The server's Close frame; fails the test if it does not come in time or the connection failed without one. */
    public Closed awaitClose() {
        return awaitClose(timeout);
    }

    public Closed awaitClose(Duration wait) {
        try {
            return inbox.ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no Close frame from " + uri + " within " + wait);
        } catch (ExecutionException e) {
            throw new AssertionError("the connection to " + uri + " failed without a Close frame: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a Close frame", e);
        }
    }

    /** Whether the connection has ended: a Close frame came, or it failed. */
    public boolean isClosed() {
        return inbox.ended.isDone();
    }

    /** Fails the test if the server closed or dropped the connection. */
    public void assertOpen() {
        if (inbox.ended.isDone()) {
            throw new AssertionError("the connection to " + uri + " ended" + ended());
        }
        if (socket.isInputClosed()) {
            throw new AssertionError("the connection to " + uri + " lost its input");
        }
    }

    /** Closes with 1000 and waits for the server's answer, unless the connection already ended; then lets it go. */
    @Override
    public void close() {
        try {
            if (!inbox.ended.isDone() && !socket.isOutputClosed()) {
                awaitDone(closeAsync(1000, "done"), "sending a Close frame");
                awaitClose();
            }
        } finally {
            abort();
        }
    }

    /** Drops the TCP connection at once, without a closing handshake. */
    public void abort() {
        socket.abort();
    }

    // ---------------------------------------------------------------- plumbing

    /** How the connection ended, for messages: "" while it is open. */
    private String ended() {
        if (!inbox.ended.isDone()) {
            return "";
        }
        return inbox.ended.handle((closed, error) -> closed != null ? " (closed: " + closed + ")" : " (failed: " + error + ")").join();
    }

    private void awaitDone(CompletableFuture<?> sent, String what) {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " to " + uri + " took more than " + timeout + ended());
        } catch (ExecutionException e) {
            throw new AssertionError(what + " to " + uri + " failed: " + e.getCause() + ended(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + what, e);
        }
    }

    private <T> T take(BlockingQueue<T> queue, String what) {
        T item = poll(queue, timeout);
        if (item == null) {
            throw new AssertionError("no " + what + " from " + uri + " within " + timeout + ended());
        }
        return item;
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration wait) {
        try {
            return queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    @Override
    public String toString() {
        return "JdkWebSocketClient[" + uri + ended() + "]";
    }
}

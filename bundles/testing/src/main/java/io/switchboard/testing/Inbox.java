package io.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

import io.switchboard.testing.JdkWebSocketClient.Binary;
import io.switchboard.testing.JdkWebSocketClient.Closed;
import io.switchboard.testing.JdkWebSocketClient.Event;
import io.switchboard.testing.JdkWebSocketClient.Failed;
import io.switchboard.testing.JdkWebSocketClient.Text;

/**
 * The receiving side of a {@link JdkWebSocketClient}: the JDK's listener, run on the JDK's
 * threads, one call at a time, each asking for one more event. It puts messages together from
 * their frames and hands everything over in thread-safe queues the test's threads take from.
 */
final class Inbox implements WebSocket.Listener {
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    /** Completes with the Close frame, or exceptionally with the error that ended the connection. */
    final CompletableFuture<Closed> ended = new CompletableFuture<>();

    /** The parts of the message being received; only the listener's calls touch them. */
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add(new Text(text.toString()));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        binary.writeBytes(bytes(data));
        if (last) {
            events.add(new Binary(binary.toByteArray()));
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.add(bytes(message)); // the JDK answers with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(bytes(message));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        Closed closed = new Closed(statusCode, reason);
        events.add(closed);
        ended.complete(closed);
        return null; // the JDK answers with a Close frame of its own, unless it sent one already
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Failed(error));
        ended.completeExceptionally(error);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

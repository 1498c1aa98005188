package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One open client connection. Whatever the client library reports is recorded here for the test
 * thread to wait on. A send must complete before the next send is started: the JDK client
 * refuses overlapping sends.
 */
abstract class ClientSession {
    /** The close frame the client received, or 1006 if the connection ended without one. */
    record ClientClose(int code, String reason) {
    }

    /** Complete messages as they arrived: a {@code String} per text message, a {@code byte[]} per binary one. */
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    /** Payloads of the pings the server sent. */
    final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    /** Payloads of the pongs the server sent. */
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<ClientClose> closed = new CompletableFuture<>();

    /** The subprotocol the server selected, {@code ""} for none. */
    abstract String subprotocol();

    abstract CompletableFuture<?> sendText(String text);

    abstract CompletableFuture<?> sendBinary(ByteBuffer data);

    /** Sends one text message as one frame per part: a first frame and continuations. */
    abstract CompletableFuture<?> sendTextInParts(String... parts);

    abstract CompletableFuture<?> ping(ByteBuffer payload);

    /**
     * Starts the closing handshake; {@link #closed} completes when the server's Close frame
     * arrives. Jetty fails the returned future with {@code ClosedChannelException} when the
     * server's answer ends the connection before Jetty has completed its own write.
     */
    abstract CompletableFuture<?> close(int code, String reason);

    /** Drops the TCP connection without a closing handshake. */
    abstract void drop();

    String nextText() throws InterruptedException {
        return assertInstanceOf(String.class, Await.take(messages), "a text message");
    }

    byte[] nextBinary() throws InterruptedException {
        return assertInstanceOf(byte[].class, Await.take(messages), "a binary message");
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One open client connection, as the interop scenarios drive it whatever the client library.
 * Every wait is bounded: what does not come in time fails the test. A send must complete
 * before the next send is started: the JDK client refuses overlapping sends.
 */
abstract class ClientSession {
    /** The close frame the client received. */
    record ClientClose(int code, String reason) {
    }

    /** The subprotocol the server selected, {@code ""} for none. */
    abstract String subprotocol();

    abstract CompletableFuture<?> sendText(String text);

    abstract CompletableFuture<?> sendBinary(ByteBuffer data);

    /** Sends one text message as one frame per part: a first frame and continuations. */
    abstract CompletableFuture<?> sendTextInParts(String... parts);

    abstract CompletableFuture<?> ping(ByteBuffer payload);

    /**
     * Starts the closing handshake; {@link #awaitClose()} returns when the server's Close frame
     * arrives. Jetty fails the returned future with {@code ClosedChannelException} when the
     * server's answer ends the connection before Jetty has completed its own write.
     */
    abstract CompletableFuture<?> close(int code, String reason);

    /** Drops the TCP connection without a closing handshake. */
    abstract void drop();

    /** The next complete message, in the order they came: a {@code String} for text, a {@code byte[]} for binary. */
    abstract Object nextMessage() throws InterruptedException;

    /** The payload of the next ping the server sent. */
    abstract byte[] nextPing() throws InterruptedException;

    /** The payload of the next pong the server sent. */
    abstract byte[] nextPong() throws InterruptedException;

    /** The server's Close frame; fails the test if the connection ends without one, or not in time. */
    abstract ClientClose awaitClose() throws Exception;

    String nextText() throws InterruptedException {
        return assertInstanceOf(String.class, nextMessage(), "a text message");
    }

    byte[] nextBinary() throws InterruptedException {
        return assertInstanceOf(byte[].class, nextMessage(), "a binary message");
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

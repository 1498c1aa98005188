package io.switchboard.jakarta.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.switchboard.api.Connection;
import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

/**
 * The basic and async remotes of one session, on {@link Connection#send}: every send is queued by
 * the engine at once, in call order, and its stage completes when the bytes are written.
 *
 * <p><b>Threading.</b> Any thread may send. A basic (blocking) send waits for its stage, but never
 * on a thread that must not wait: a selector loop, which is the thread that would do the write.
 * {@link #runWithoutWaiting} marks such threads: the callbacks of an endpoint deployed inline
 * (not blocking) and the completions handed to a {@link SendHandler}. There, a basic send returns
 * once the message is queued, keeping the order; if the write fails the connection is closing,
 * which {@code @OnClose} reports. Waiting there for an async send's {@code Future} before it is
 * done throws {@link IllegalStateException} instead of hanging the loop. Endpoints are deployed blocking by default, so that their basic
 * sends really wait, on a worker.
 *
 * <p>Partial sends ({@code sendText(part, last)}, {@code sendBinary(part, last)}) go out as one
 * frame each through {@link Connection#sendPart}; the send stream and writer send a frame each
 * time their buffer of {@value #STREAM_BUFFER} bytes or chars fills, and the last when they are
 * closed. While a message is sent in parts, a whole message is refused with
 * {@link IllegalStateException}, as the specification has it.
 */
final class Remotes {
    private static final ThreadLocal<Boolean> NO_WAIT = new ThreadLocal<>();
    /** What the send stream and writer gather before they send a part. */
    static final int STREAM_BUFFER = 8192;

    private final Connection connection;
    private final JakartaSession session;
    private final Coders.Instances coders;
    private final Basic basic = new Basic();
    private final Async async = new Async();
    private volatile boolean batching;
    private volatile long sendTimeoutMillis;

    Remotes(Connection connection, JakartaSession session, Coders.Instances coders, long sendTimeoutMillis) {
        this.connection = connection;
        this.session = session;
        this.coders = coders;
        this.sendTimeoutMillis = sendTimeoutMillis;
    }

    RemoteEndpoint.Basic basic() {
        return basic;
    }

    RemoteEndpoint.Async async() {
        return async;
    }

    /**
     * Marks the current thread, a selector loop running an inline endpoint's callback, as one
     * where basic sends never wait: a loop waiting for its own write would wait for ever.
     */
    static void markLoopThread() {
        if (NO_WAIT.get() == null) {
            NO_WAIT.set(Boolean.TRUE);
        }
    }

    /** Runs {@code action} on a thread where basic sends must not wait for their write. */
    static void runWithoutWaiting(Runnable action) {
        Boolean before = NO_WAIT.get();
        NO_WAIT.set(Boolean.TRUE);
        try {
            action.run();
        } finally {
            NO_WAIT.set(before);
        }
    }

    /** Sends an object: text, binary, a primitive or box as text, anything else through an encoder. */
    CompletionStage<Void> sendObject(Object object) throws IOException, EncodeException {
        if (object == null) {
            throw new IllegalArgumentException("cannot send null");
        }
        Object message = object instanceof String || object instanceof ByteBuffer || object instanceof byte[] ? object
                : Conversions.primitiveOrBox(object.getClass()) ? String.valueOf(object) : coders.encode(object);
        return send(message);
    }

    private CompletionStage<Void> send(Object message) {
        if (message == null) {
            throw new IllegalArgumentException("cannot send null");
        }
        session.active();
        if (message instanceof String text) {
            return connection.send(text);
        }
        return connection.send(message instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) message);
    }

    private void await(CompletionStage<Void> sent) throws IOException {
        if (NO_WAIT.get() != null) {
            return;
        }
        try {
            long timeout = sendTimeoutMillis;
            if (timeout > 0) {
                sent.toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
            } else {
                sent.toCompletableFuture().get();
            }
        } catch (ExecutionException | CompletionException e) {
            throw new IOException("the message was not sent", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the message was not written within " + sendTimeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        }
    }

    private Future<Void> future(CompletionStage<Void> sent) {
        CompletableFuture<Void> result = new SendFuture();
        sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /** Checks the handler before anything is sent: the first argument of {@link #handle}. */
    private static SendHandler required(SendHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("a SendHandler is required");
        }
        return handler;
    }

    private void handle(SendHandler handler, CompletionStage<Void> sent) {
        sent.whenComplete((ok, failure) -> runWithoutWaiting(() -> handler.onResult(
                failure == null ? new SendResult(session) : new SendResult(session, failure))));
    }

    private static CompletionStage<Void> failed(Throwable cause) {
        return CompletableFuture.failedFuture(cause);
    }

    /**
     * An async send's future, which refuses to be waited for where the wait could never end: on
     * a thread marked as a selector loop, before the write is done.
     */
    private static final class SendFuture extends CompletableFuture<Void> {
        @Override
        public Void get() throws InterruptedException, ExecutionException {
            refuseLoopWait();
            return super.get();
        }

        @Override
        public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            refuseLoopWait();
            return super.get(timeout, unit);
        }

        private void refuseLoopWait() {
            if (!isDone() && NO_WAIT.get() != null) {
                throw new IllegalStateException("waiting on a selector loop for a send that this loop is to write");
            }
        }
    }

    /** What both remotes share. */
    private abstract class Common implements RemoteEndpoint {
        @Override
        public void setBatchingAllowed(boolean allowed) {
            // The engine writes what one callback sends together anyway; nothing waits for a flush.
            batching = allowed;
        }

        @Override
        public boolean getBatchingAllowed() {
            return batching;
        }

        @Override
        public void flushBatch() {
        }

        @Override
        public void sendPing(ByteBuffer data) throws IOException {
            session.active();
            connection.ping(data == null ? ByteBuffer.allocate(0) : data);
        }

        @Override
        public void sendPong(ByteBuffer data) throws IOException {
            session.active();
            connection.pong(data == null ? ByteBuffer.allocate(0) : data);
        }
    }

    private final class Basic extends Common implements RemoteEndpoint.Basic {
        @Override
        public void sendText(String text) throws IOException {
            await(send(text));
        }

        @Override
        public void sendBinary(ByteBuffer data) throws IOException {
            await(send(data));
        }

        @Override
        public void sendText(String part, boolean last) throws IOException {
            session.active();
            await(connection.sendPart(part, last));
        }

        @Override
        public void sendBinary(ByteBuffer part, boolean last) throws IOException {
            session.active();
            await(connection.sendPart(part, last));
        }

        @Override
        public OutputStream getSendStream() {
            return new PartStream();
        }

        @Override
        public Writer getSendWriter() {
            return new PartWriter();
        }

        @Override
        public void sendObject(Object object) throws IOException, EncodeException {
            await(Remotes.this.sendObject(object));
        }
    }

    /** A binary message written as a stream: a part each time the buffer fills, the last on close. */
    private final class PartStream extends OutputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(STREAM_BUFFER);
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int from, int length) throws IOException {
            if (closed) {
                throw new IOException("the stream is closed");
            }
            while (length > 0) {
                if (!buffer.hasRemaining()) {
                    basic.sendBinary(buffer.flip(), false);
                    buffer.clear();
                }
                int taken = Math.min(length, buffer.remaining());
                buffer.put(bytes, from, taken);
                from += taken;
                length -= taken;
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                basic.sendBinary(buffer.flip(), true);
            }
        }
    }

    /** A text message written as a stream of chars, sent as {@link PartStream} sends bytes; a surrogate pair is never split. */
    private final class PartWriter extends Writer {
        private final StringBuilder buffer = new StringBuilder(STREAM_BUFFER);
        private boolean closed;

        @Override
        public void write(char[] chars, int from, int length) throws IOException {
            if (closed) {
                throw new IOException("the writer is closed");
            }
            for (int i = from; i < from + length; i++) {
                buffer.append(chars[i]);
                if (buffer.length() >= STREAM_BUFFER && !Character.isHighSurrogate(chars[i])) {
                    basic.sendText(buffer.toString(), false);
                    buffer.setLength(0);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                basic.sendText(buffer.toString(), true);
            }
        }
    }

    private final class Async extends Common implements RemoteEndpoint.Async {
        @Override
        public long getSendTimeout() {
            return sendTimeoutMillis;
        }

        @Override
        public void setSendTimeout(long millis) {
            sendTimeoutMillis = millis;
        }

        @Override
        public void sendText(String text, SendHandler handler) {
            handle(required(handler), send(text));
        }

        @Override
        public Future<Void> sendText(String text) {
            return future(send(text));
        }

        @Override
        public Future<Void> sendBinary(ByteBuffer data) {
            return future(send(data));
        }

        @Override
        public void sendBinary(ByteBuffer data, SendHandler handler) {
            handle(required(handler), send(data));
        }

        @Override
        public Future<Void> sendObject(Object object) {
            return future(encodedOrFailed(object));
        }

        @Override
        public void sendObject(Object object, SendHandler handler) {
            handle(required(handler), encodedOrFailed(object));
        }

        private CompletionStage<Void> encodedOrFailed(Object object) {
            try {
                return Remotes.this.sendObject(object);
            } catch (IOException | EncodeException e) {
                return failed(e);
            }
        }
    }
}

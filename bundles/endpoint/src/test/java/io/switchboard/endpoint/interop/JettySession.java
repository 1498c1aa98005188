package io.switchboard.endpoint.interop;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Both the test's view of a Jetty client connection and its Jetty listener, which demands the
 * next frame after each event. Public because Jetty binds the listener methods by method handles.
 */
public final class JettySession extends ClientSession implements Session.Listener.AutoDemanding {
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<ClientClose> closed = new CompletableFuture<>();
    private volatile Session session;

    @Override
    String subprotocol() {
        String selected = session.getUpgradeResponse().getAcceptedSubProtocol();
        return selected == null ? "" : selected;
    }

    @Override
    CompletableFuture<?> sendText(String text) {
        return Callback.Completable.with(callback -> session.sendText(text, callback));
    }

    @Override
    CompletableFuture<?> sendBinary(ByteBuffer data) {
        return Callback.Completable.with(callback -> session.sendBinary(data, callback));
    }

    @Override
    CompletableFuture<?> sendTextInParts(String... parts) {
        Callback.Completable sent = Callback.Completable.with(Callback.Completable::succeed);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            sent = sent.compose(callback -> session.sendPartialText(part, last, callback));
        }
        return sent;
    }

    @Override
    CompletableFuture<?> ping(ByteBuffer payload) {
        return Callback.Completable.with(callback -> session.sendPing(payload, callback));
    }

    @Override
    CompletableFuture<?> close(int code, String reason) {
        return Callback.Completable.with(callback -> session.close(code, reason, callback));
    }

    @Override
    void drop() {
        session.disconnect();
    }

    @Override
    Object nextMessage() throws InterruptedException {
        return Await.take(messages);
    }

    @Override
    byte[] nextPing() throws InterruptedException {
        return Await.take(pings);
    }

    @Override
    byte[] nextPong() throws InterruptedException {
        return Await.take(pongs);
    }

    @Override
    ClientClose awaitClose() throws Exception {
        return Await.done(closed);
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
    }

    @Override
    public void onWebSocketText(String message) {
        messages.add(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        messages.add(bytes(payload));
        callback.succeed();
    }

    /** Overriding this turns off Jetty's automatic pong, so the pong is sent here. */
    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        pings.add(bytes(payload));
        session.sendPong(payload, Callback.NOOP);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        pongs.add(bytes(payload));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed.complete(new ClientClose(statusCode, reason));
        callback.succeed();
    }
}

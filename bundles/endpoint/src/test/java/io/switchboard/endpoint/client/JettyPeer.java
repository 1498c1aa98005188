package io.switchboard.endpoint.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import io.switchboard.api.CloseStatus;

/**
 * Jetty's side of the interop tests: echoes text and binary; "close CODE REASON" closes from
 * Jetty, "ping PAYLOAD" pings the client, "fragments A B C" sends one text message in those
 * frames. Records pongs and the close status it was given. Public because Jetty binds listener
 * methods through method handles.
 */
public final class JettyPeer implements Session.Listener.AutoDemanding {
    static final BlockingQueue<byte[]> PONGS = new LinkedBlockingQueue<>();
    /** The close status each connection ended with, by the client's port. */
    private static final Map<Integer, CompletableFuture<CloseStatus>> CLOSES = new ConcurrentHashMap<>();

    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String text) {
        String[] words = text.split(" ");
        switch (words[0]) {
            case "close" -> session.close(Integer.parseInt(words[1]), words[2], Callback.NOOP);
            case "ping" -> session.sendPing(ByteBuffer.wrap(words[1].getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
            case "fragments" -> {
                for (int i = 1; i < words.length; i++) {
                    session.sendPartialText(words[i], i == words.length - 1, Callback.NOOP);
                }
            }
            default -> session.sendText(text, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        session.sendBinary(payload, callback);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        PONGS.add(Inbox.bytes(payload));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeOf(((InetSocketAddress) session.getRemoteSocketAddress()).getPort())
                .complete(CloseStatus.of(statusCode, reason == null ? "" : reason));
    }

    /** What Jetty was told when the connection from {@code clientPort} closed. */
    static CompletableFuture<CloseStatus> closeOf(int clientPort) {
        return CLOSES.computeIfAbsent(clientPort, port -> new CompletableFuture<>());
    }
}

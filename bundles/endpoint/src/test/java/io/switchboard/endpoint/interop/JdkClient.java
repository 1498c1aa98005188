package io.switchboard.endpoint.interop;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The JDK's {@link java.net.http.WebSocket} client. */
final class JdkClient implements ClientDriver {
    private final HttpClient http;

    JdkClient() {
        this(HttpClient.newHttpClient());
    }

    /** Over this HTTP client: one with an {@code SSLContext} for wss. */
    JdkClient(HttpClient http) {
        this.http = http;
    }

    @Override
    public ClientSession connect(URI uri, String... subprotocols) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        Session session = new Session();
        try {
            session.ws = builder.buildAsync(uri, session).get(Await.SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException rejected) {
                var response = rejected.getResponse();
                throw new HandshakeRejected(response.statusCode(), response.headers().map(), rejected);
            }
            throw e;
        }
        return session;
    }

    private static final class Session extends ClientSession implements WebSocket.Listener {
        private volatile WebSocket ws;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        String subprotocol() {
            return ws.getSubprotocol();
        }

        @Override
        CompletableFuture<?> sendText(String message) {
            return ws.sendText(message, true);
        }

        @Override
        CompletableFuture<?> sendBinary(ByteBuffer data) {
            return ws.sendBinary(data, true);
        }

        @Override
        CompletableFuture<?> sendTextInParts(String... parts) {
            CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(ws);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                boolean last = i == parts.length - 1;
                sent = sent.thenCompose(webSocket -> webSocket.sendText(part, last));
            }
            return sent;
        }

        @Override
        CompletableFuture<?> ping(ByteBuffer payload) {
            return ws.sendPing(payload);
        }

        @Override
        CompletableFuture<?> close(int code, String reason) {
            return ws.sendClose(code, reason);
        }

        @Override
        void drop() {
            ws.abort();
        }

        // The listener's methods are called one at a time; each asks for one more event.

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binary.writeBytes(bytes(data));
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.add(bytes(message)); // the client answers with a pong by itself
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
            closed.complete(new ClientClose(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new ClientClose(1006, String.valueOf(error)));
        }
    }
}

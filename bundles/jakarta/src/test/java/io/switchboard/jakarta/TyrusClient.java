package io.switchboard.jakarta;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.glassfish.tyrus.client.ClientManager;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

/**
 * The Tyrus standalone client (a third-party Jakarta WebSocket client) with every wait bounded:
 * messages, pongs and the close reason land in queues the test takes from.
 */
final class TyrusClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final Session session;
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    final CompletableFuture<Map<String, List<String>>> responseHeaders = new CompletableFuture<>();

    private TyrusClient(ClientManager client, URI uri, List<String> subprotocols, Map<String, String> headers) throws Exception {
        ClientEndpointConfig built = ClientEndpointConfig.Builder.create().preferredSubprotocols(subprotocols)
                .configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> request) {
                headers.forEach((name, value) -> request.put(name, List.of(value)));
            }

            @Override
            public void afterResponse(HandshakeResponse response) {
                responseHeaders.complete(response.getHeaders());
            }
        }).build();
        session = client.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session opened, EndpointConfig endpointConfig) {
                opened.addMessageHandler(String.class, (MessageHandler.Whole<String>) messages::add);
                opened.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) messages::add);
                opened.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> pongs.add(pong.getApplicationData()));
            }

            @Override
            public void onClose(Session ended, CloseReason reason) {
                closed.complete(reason);
            }

            @Override
            public void onError(Session failed, Throwable error) {
                closed.completeExceptionally(error);
            }
        }, built, uri);
    }

    static TyrusClient connect(ClientManager client, URI uri) throws Exception {
        return new TyrusClient(client, uri, List.of(), Map.of());
    }

    /** Connects offering these subprotocols and sending these extra request headers. */
    static TyrusClient connect(ClientManager client, URI uri, List<String> subprotocols, Map<String, String> headers)
            throws Exception {
        return new TyrusClient(client, uri, subprotocols, headers);
    }

    /** Sends a text message and returns the next message, which must be text. */
    String request(String text) throws Exception {
        session.getBasicRemote().sendText(text);
        return awaitText();
    }

    String awaitText() throws InterruptedException {
        Object message = next();
        if (!(message instanceof String text)) {
            throw new AssertionError("expected a text message, got " + message);
        }
        return text;
    }

    ByteBuffer awaitBinary() throws InterruptedException {
        Object message = next();
        if (!(message instanceof ByteBuffer data)) {
            throw new AssertionError("expected a binary message, got " + message);
        }
        return data;
    }

    Object next() throws InterruptedException {
        Object message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + WAIT + (closed.isDone() ? "; closed: " + closed.join() : ""));
        }
        return message;
    }

    CloseReason awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        if (session.isOpen()) {
            session.close();
        }
    }
}

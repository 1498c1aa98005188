package io.switchboard.endpoint.interop;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.JdkWebSocketClient.Binary;
import io.switchboard.testing.JdkWebSocketClient.Closed;
import io.switchboard.testing.JdkWebSocketClient.Event;
import io.switchboard.testing.JdkWebSocketClient.Text;

/** The JDK's {@link java.net.http.WebSocket} client, through the tests' {@link JdkWebSocketClient}. */
final class JdkClient implements ClientDriver {

    @Override
    public ClientSession connect(URI uri, String... subprotocols) {
        JdkWebSocketClient client = JdkWebSocketClient.to(uri).subprotocols(subprotocols)
                .timeout(Duration.ofSeconds(Await.SECONDS)).connect();
        return new ClientSession() {
            @Override
            String subprotocol() {
                return client.subprotocol();
            }

            @Override
            CompletableFuture<?> sendText(String text) {
                return client.sendTextAsync(text);
            }

            @Override
            CompletableFuture<?> sendBinary(ByteBuffer data) {
                return client.sendBinaryAsync(data);
            }

            @Override
            CompletableFuture<?> sendTextInParts(String... parts) {
                return client.sendTextInPartsAsync(parts);
            }

            @Override
            CompletableFuture<?> ping(ByteBuffer payload) {
                return client.pingAsync(payload);
            }

            @Override
            CompletableFuture<?> close(int code, String reason) {
                return client.closeAsync(code, reason);
            }

            @Override
            void drop() {
                client.abort();
            }

            @Override
            Object nextMessage() {
                Event event = client.nextEvent();
                if (event instanceof Text text) {
                    return text.text();
                }
                if (event instanceof Binary binary) {
                    return binary.data();
                }
                throw new AssertionError("expected a message, got " + event);
            }

            @Override
            byte[] nextPing() {
                return client.awaitPing();
            }

            @Override
            byte[] nextPong() {
                return client.awaitPong();
            }

            @Override
            ClientClose awaitClose() {
                Closed closed = client.awaitClose();
                return new ClientClose(closed.code(), closed.reason());
            }
        };
    }
}

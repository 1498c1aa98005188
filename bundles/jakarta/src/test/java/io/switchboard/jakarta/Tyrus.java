package io.switchboard.jakarta;

import org.glassfish.tyrus.client.ClientManager;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Tyrus's client container for one test class, with one session kept open throughout: Tyrus
 * ends the container's timer when its last session closes, and a session opened at that moment
 * can get the ended timer and fail its first send (RejectedExecutionException). The kept session
 * never lets the count reach zero. Its endpoint, {@link Keeper}, must be deployed beside the others.
 */
final class Tyrus implements AutoCloseable {
    @ServerEndpoint("/tyrus-keeper")
    public static class Keeper {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    final ClientManager client = ClientManager.createClient();
    private final TyrusClient kept;

    Tyrus(Served served) throws Exception {
        kept = TyrusClient.connect(client, served.uri("/tyrus-keeper"));
        if (!kept.request("kept").equals("kept")) {
            throw new AssertionError("the kept session does not echo");
        }
    }

    @Override
    public void close() throws Exception {
        kept.close();
        client.shutdown();
    }
}

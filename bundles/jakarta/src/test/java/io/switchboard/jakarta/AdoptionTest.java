package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * A live connection handed from one deployment to another, as the engine's hot swap does: the
 * adopting endpoint gets onOpen for the same connection, marked adopted, with its path parameters.
 */
class AdoptionTest {
    static final BlockingQueue<String> SEEN = new LinkedBlockingQueue<>();

    @ServerEndpoint("/rooms/{room}")
    public static class Before {
        @OnMessage
        public String message(String text, Session session) {
            return "before " + text + " " + session.getId() + " " + session.getOpenSessions().size();
        }

        @OnClose
        public void closed() {
            SEEN.add("before closed");
        }
    }

    @ServerEndpoint("/rooms/{room}")
    public static class After {
        @OnOpen
        public void open(Session session, @PathParam("room") String room) {
            SEEN.add("after opened in " + room + " adopted=" + session.getUserProperties().get(JakartaEndpoints.ADOPTED));
        }

        @OnMessage
        public String message(String text, Session session) {
            return "after " + text + " " + session.getId() + " " + session.getOpenSessions().size();
        }
    }

    /** Takes text in parts: each part bracketed, the whole sent back with the last. */
    @ServerEndpoint("/parts")
    public static class InParts {
        private final StringBuilder parts = new StringBuilder();

        @OnMessage
        public String part(String part, boolean last) {
            parts.append('[').append(part).append(']');
            if (!last) {
                return null;
            }
            String message = "in parts " + parts;
            parts.setLength(0);
            return message;
        }
    }

    @ServerEndpoint("/parts")
    public static class Whole {
        @OnMessage
        public String message(String text) {
            return "whole " + text;
        }
    }

    @Test
    void anAdoptingEndpointWithWholeHandlersGetsWholeMessagesFromAConnectionThatTookParts() throws Exception {
        try (JakartaEndpoints whole = JakartaEndpoints.builder().add(Whole.class).build();
                Served served = new Served(JakartaEndpoints.builder().add(InParts.class).build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/parts"))) {
            adoptAfterAMessageInParts(served, client, whole);
            assertEquals("whole efgh", client.awaitText());
        }
    }

    /** Takes no message at all. */
    @ServerEndpoint("/parts")
    public static class Deaf {
        @OnOpen
        public void open(Session session) {
            SEEN.add("deaf opened");
        }
    }

    @Test
    void anAdoptingEndpointWithoutATextHandlerRefusesTextThatThePreviousOneTookInParts() throws Exception {
        SEEN.clear();
        try (JakartaEndpoints deaf = JakartaEndpoints.builder().add(Deaf.class).build();
                Served served = new Served(JakartaEndpoints.builder().add(InParts.class).build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/parts"))) {
            adoptAfterAMessageInParts(served, client, deaf);
            assertEquals("deaf opened", SEEN.poll(10, TimeUnit.SECONDS));
            assertEquals(new JdkWebSocketClient.Closed(CloseStatus.UNSUPPORTED_DATA, "this endpoint takes no text messages"),
                    client.nextEvent());
        }
    }

    /**
     * Has InParts take a message in parts, hands the connection to {@code next}, then sends another
     * message in parts, whose answer is the caller's to check.
     */
    private static void adoptAfterAMessageInParts(Served served, JdkWebSocketClient client, JakartaEndpoints next)
            throws Exception {
        client.sendTextInPartsAsync("ab", "cd").get(10, TimeUnit.SECONDS);
        assertEquals("in parts [ab][cd]", client.awaitText());
        served.server.handOff(served.endpoints.route("/parts").binding(), path -> next.route(path).binding());
        client.sendTextInPartsAsync("ef", "gh").get(10, TimeUnit.SECONDS);
    }

    @Test
    void theAdoptingEndpointOpensTheSameConnectionMarkedAdopted() throws Exception {
        SEEN.clear();
        try (JakartaEndpoints after = JakartaEndpoints.builder().add(After.class).build();
                Served served = new Served(JakartaEndpoints.builder().add(Before.class).build());
                JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/rooms/blue"))) {
            String first = client.request("a");
            String id = first.split(" ")[2];
            assertEquals("before a " + id + " 1", first);

            served.server.handOff(served.endpoints.route("/rooms/blue").binding(), path -> after.route(path).binding());

            assertEquals("after b " + id + " 1", client.request("b"));
            assertEquals("after opened in blue adopted=true", SEEN.poll(10, TimeUnit.SECONDS));
            assertNull(SEEN.poll(0, TimeUnit.SECONDS), "the endpoint handed from is not told of a close");
        }
    }
}

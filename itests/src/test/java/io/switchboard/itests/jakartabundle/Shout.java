package io.switchboard.itests.jakartabundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Consumer;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/** A programmatic endpoint, registered as a singleton: answers {@code "v1 HI"} and reports its opens. */
public class Shout extends Endpoint {
    private final String tag;
    private final Consumer<String> events;

    Shout(String tag, Consumer<String> events) {
        this.tag = tag;
        this.events = events;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                session.getBasicRemote().sendText(tag + " " + text.toUpperCase(Locale.ROOT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        events.accept(tag + " open " + session.getId() + " adopted=" + session.getUserProperties().get(JakartaEndpointsActivator.ADOPTED));
    }
}

package io.switchboard.itests.jakartabundle;

import java.util.function.Consumer;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * An annotated endpoint, registered prototype-scoped: answers {@code "v1 a 3 hi"} (its bundle's
 * version, the room, its instance number, the message) and reports its opens and closes.
 */
@ServerEndpoint("/jakarta/rooms/{room}")
public class RoomEcho {
    private final String tag;
    private final int instance;
    private final Consumer<String> events;

    RoomEcho(String tag, int instance, Consumer<String> events) {
        this.tag = tag;
        this.instance = instance;
        this.events = events;
    }

    int instance() {
        return instance;
    }

    @OnOpen
    public void open(Session session) {
        events.accept(tag + " open " + session.getId() + " adopted=" + session.getUserProperties().get(JakartaEndpointsActivator.ADOPTED));
    }

    @OnMessage
    public String message(String text, @PathParam("room") String room) {
        return tag + " " + room + " " + instance + " " + text;
    }

    @OnClose
    public void close(Session session) {
        events.accept(tag + " close " + session.getId());
    }
}

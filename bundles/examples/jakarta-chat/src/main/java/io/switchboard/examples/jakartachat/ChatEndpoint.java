package io.switchboard.examples.jakartachat;

import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The chat, as a Jakarta WebSocket endpoint: {@code ws://host/jakarta-chat/lobby} is the room
 * "lobby". The messages are JSON objects, decoded into {@link ChatCommand}s and encoded from
 * {@link ChatEvent}s (their javadoc lists them). A client connects, gets {@code hello}, joins
 * under a nickname, then says things; when it goes, the room hears that it left.
 *
 * <h2>Limits and answers</h2>
 * <ul>
 *   <li>a room name is 1 to {@value #MAX_ROOM} ASCII letters, digits, {@code _} or {@code -};
 *       another path is closed at once with 1008;
 *   <li>a message is at most {@value #MAX_MESSAGE_BYTES} bytes, else the session is closed with
 *       1009; binary messages are closed with 1003 (the endpoint takes text only);
 *   <li>a nickname is 1 to {@value #MAX_NICKNAME} ASCII letters, digits, {@code _} or {@code -},
 *       unique in its room ignoring case; a chat text at most {@value #MAX_TEXT} characters
 *       (control characters become spaces, blank texts are dropped);
 *   <li>anything else wrong — JSON that does not parse, an unknown type, a taken nickname,
 *       {@code say} before {@code join} — gets {@code {"type":"error","reason":"..."}} and
 *       changes nothing; the session stays open.
 * </ul>
 *
 * <h2>In OSGi</h2>
 * A prototype-scoped service with {@code osgi.jakarta.websocket.endpoint.implementor=true}: the
 * Jakarta whiteboard gets one instance per session, as the specification's default, so the
 * fields below are that session's state; what the sessions share is the {@link ChatRooms}
 * component. When the bundle is updated, the new version adopts the live sessions with a new
 * instance and a new room registry: its {@code @OnOpen} sends {@code hello} again, and the page
 * joins again under the same nickname.
 *
 * <p><b>Threading.</b> The container calls one instance for one session, one callback at a time
 * (on a worker, or on the selector loop if deployed inline); {@link ChatRooms} is the only state
 * shared between sessions. Nothing here waits: every send is asynchronous.
 */
@Component(service = Object.class, scope = ServiceScope.PROTOTYPE,
        property = "osgi.jakarta.websocket.endpoint.implementor=true")
@ServerEndpoint(value = ChatEndpoint.PATH, encoders = ChatEvent.Encoding.class, decoders = ChatCommand.Decoding.class)
public final class ChatEndpoint {
    /** The endpoint's URI template. */
    public static final String PATH = "/jakarta-chat/{room}";
    /** The longest room name, in characters. */
    public static final int MAX_ROOM = 32;
    /** The longest nickname, in characters. */
    public static final int MAX_NICKNAME = 20;
    /** The longest chat text, in characters. */
    public static final int MAX_TEXT = 2000;
    /** The largest message, in bytes: a text of {@value #MAX_TEXT} characters fits, escaped. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final ChatRooms rooms;
    private String room;
    private String nickname; // null until joined

    @Activate
    public ChatEndpoint(@Reference ChatRooms rooms) {
        this.rooms = rooms;
    }

    /**
     * The configuration that serves this endpoint in plain Java with {@code rooms} shared by its
     * instances: the annotation's path and coders, and a configurator that makes each session's
     * instance (the default one needs a constructor without parameters).
     */
    public static ServerEndpointConfig config(ChatRooms rooms) {
        ServerEndpoint annotation = ChatEndpoint.class.getAnnotation(ServerEndpoint.class);
        return ServerEndpointConfig.Builder.create(ChatEndpoint.class, annotation.value())
                .encoders(List.of(annotation.encoders()))
                .decoders(List.of(annotation.decoders()))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new ChatEndpoint(rooms));
                    }
                })
                .build();
    }

    @OnOpen
    public void open(Session session, @PathParam("room") String name) {
        if (!valid(name, MAX_ROOM)) {
            closeWith(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "invalid room name"));
            return;
        }
        room = name;
        session.getAsyncRemote().sendObject(new ChatEvent.Hello(room));
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
    public void command(ChatCommand command, Session session) {
        if (room == null) {
            return; // being closed: the room name was refused
        }
        if (command instanceof ChatCommand.Join join) {
            join(session, join.nickname().strip());
        } else if (command instanceof ChatCommand.Say say) {
            say(session, say.text());
        }
    }

    @OnClose
    public void leave(Session session) {
        if (nickname != null) {
            rooms.leave(room, nickname, session);
            nickname = null;
        }
    }

    /** A message that did not decode is answered; anything else is a bug of this class, logged. */
    @OnError
    public void error(Session session, Throwable error) {
        if (error instanceof DecodeException) {
            refuse(session, error.getMessage());
        } else {
            System.getLogger(ChatEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                    "the chat failed in " + session, error);
        }
    }

    private void join(Session session, String wanted) {
        if (nickname != null) {
            refuse(session, "already joined as " + nickname);
        } else if (!valid(wanted, MAX_NICKNAME)) {
            refuse(session, "invalid nickname: use 1 to " + MAX_NICKNAME + " letters, digits, _ or -");
        } else if (rooms.join(room, wanted, session)) {
            nickname = wanted;
        } else {
            refuse(session, "nickname taken: " + wanted);
        }
    }

    private void say(Session session, String text) {
        if (nickname == null) {
            refuse(session, "join first");
        } else if (text.length() > MAX_TEXT) {
            refuse(session, "text too long: at most " + MAX_TEXT + " characters");
        } else {
            String line = CONTROL.matcher(text).replaceAll(" ");
            if (!line.isBlank()) {
                rooms.say(room, nickname, line);
            }
        }
    }

    private static boolean valid(String name, int max) {
        return name != null && name.length() <= max && NAME.matcher(name).matches();
    }

    private static void refuse(Session session, String reason) {
        session.getAsyncRemote().sendObject(new ChatEvent.Refused(reason));
    }

    private static void closeWith(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (java.io.IOException e) {
            // The connection is gone already: nothing is left to close.
        }
    }
}

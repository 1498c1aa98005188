package io.switchboard.examples.jakartachat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import jakarta.websocket.Session;

/**
 * The rooms of the chat, shared by every {@link ChatEndpoint} instance (one per session): a room
 * is the set of sessions that joined it, each under a nickname unique in the room ignoring case.
 * A room exists while it has members. In OSGi this is a singleton component that each
 * prototype-scoped endpoint instance references; in plain Java, one object given to
 * {@link ChatEndpoint#config}.
 *
 * <p><b>Threading.</b> Any thread. One lock, this object's, guards every room, and what is sent
 * under it only queues (the async remote: no send waits for a write here), so the lock is held
 * briefly, and every member of a room receives the room's events in one order, each once. A
 * member that reads too slowly is closed by the engine when its send queue overflows (1008); it
 * never delays the others. A send that fails means its session is closing: its {@code @OnClose}
 * takes it out of the room.
 */
@Component(service = ChatRooms.class)
public final class ChatRooms {
    /** A member: its nickname as it chose it, and its session. */
    private record Member(String nickname, Session session) {
    }

    /** Room name → lower-case nickname → member, in joining order. Guarded by this. */
    private final Map<String, Map<String, Member>> rooms = new HashMap<>();

    /**
     * Adds {@code session} to {@code room} as {@code nickname}, sends it the welcome and the
     * others a {@code joined}; or, if someone in the room has that nickname already, does nothing.
     *
     * @return whether the session joined
     */
    synchronized boolean join(String room, String nickname, Session session) {
        Map<String, Member> members = rooms.computeIfAbsent(room, name -> new LinkedHashMap<>());
        String key = key(nickname);
        if (members.containsKey(key)) {
            return false;
        }
        send(members, new ChatEvent.Joined(nickname));
        members.put(key, new Member(nickname, session));
        send(session, new ChatEvent.Welcome(room, nickname, nicknames(members)));
        return true;
    }

    /** Sends a message from a member to everyone in its room, the member included. */
    synchronized void say(String room, String nickname, String text) {
        Map<String, Member> members = rooms.get(room);
        if (members != null) {
            send(members, new ChatEvent.Message(nickname, text));
        }
    }

    /** Takes the session out of its room, if it is there under this nickname, and tells the others. */
    synchronized void leave(String room, String nickname, Session session) {
        Map<String, Member> members = rooms.get(room);
        String key = key(nickname);
        if (members == null || members.get(key) == null || members.get(key).session() != session) {
            return;
        }
        members.remove(key);
        if (members.isEmpty()) {
            rooms.remove(room);
        } else {
            send(members, new ChatEvent.Left(nickname));
        }
    }

    /** The nicknames in a room, in joining order: a snapshot (empty for a room without members). */
    public synchronized List<String> nicknames(String room) {
        Map<String, Member> members = rooms.get(room);
        return members == null ? List.of() : nicknames(members);
    }

    /** The rooms that have members: a snapshot. */
    public synchronized Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    private static List<String> nicknames(Map<String, Member> members) {
        List<String> names = new ArrayList<>(members.size());
        members.values().forEach(member -> names.add(member.nickname()));
        return names;
    }

    private static void send(Map<String, Member> members, ChatEvent event) {
        for (Member member : members.values()) {
            send(member.session(), event);
        }
    }

    private static void send(Session session, ChatEvent event) {
        session.getAsyncRemote().sendObject(event); // queued in order; its outcome is the session's close
    }

    private static String key(String nickname) {
        return nickname.toLowerCase(Locale.ROOT);
    }

    /** Text from a client, cut to a length fit for an error message. */
    static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}

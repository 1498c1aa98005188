package io.switchboard.examples.chat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;

/**
 * A broadcast chat room, the web chat of WebSocket++'s examples: one handler object serves every
 * connection of the room.
 *
 * <h2>Protocol</h2>
 * Every WebSocket message is one text line; there is no JSON. The client sends:
 * <ul>
 *   <li>its nickname, as the first message, or {@code /nick name} at any time (a rename once it
 *       has joined). A nickname is 1 to {@value #MAX_NICKNAME} ASCII letters, digits, {@code _}
 *       or {@code -}, unique in the room ignoring case;
 *   <li>once joined, anything else as a chat message (at most {@value #MAX_MESSAGE} characters;
 *       blank ones are ignored, line breaks and other control characters become spaces). A
 *       message starting with {@code /} is a command; {@code //text} sends {@code /text}.
 * </ul>
 * The server sends lines whose first character tells their kind:
 * <pre>
 * ? pick a nickname        to one client: send a nickname (on connect, or after a hot swap
 *                          that could not keep it)
 * + alice                  to one client: you are now alice (after joining or renaming)
 * * alice joined           to everyone: notices (joined, left, is now known as bob)
 * * online: alice, bob     to one client, right after it joined: who is here
 * ! nickname taken: alice  to one client: an error; nothing else happened
 * alice: hello             to everyone: a chat message
 * </pre>
 * A chat line starts with a nickname character, so it never starts with {@code ?+*!}.
 *
 * <h2>Ordering</h2>
 * The members who joined are a {@link Group}: a line for everyone is framed once and the same
 * bytes are queued for each member, and a connection that ends leaves the group by itself.
 * Membership changes and broadcasts happen under one lock, and a group's send only queues, so the
 * lock is held briefly and every member receives the room's lines in one total order: the same
 * order for all, each line once. A member that reads too slowly is closed by the server (1008)
 * when its send queue overflows; it never delays the others.
 *
 * <h2>Across nodes</h2>
 * The room is the broadcaster's topic {@value #TOPIC}: with the Redis relay (bundle
 * {@code io.switchboard.cluster.redis}), the members on every node are one room. Lines from other
 * nodes come in their node's order (the relay keeps each node's order), but the total order above
 * holds only among one node's lines: the relay's thread sends the others', so two members may see
 * a local line and a remote one in different orders. Nicknames are unique per node, and
 * {@code * online:} lists the members of this node.
 *
 * <h2>Hot swap</h2>
 * A connection's state is a {@link Member} attached to it. When this handler adopts a live
 * connection (after a bundle update or {@link Connection#setHandler}), an attachment of this very
 * class keeps its nickname, if the nickname is free in this room, silently: the other members of
 * the room are being adopted along with it. Anything else — nothing, or an object of another class
 * version, which the new code cannot trust — gets {@code ? ...} and must join again.
 */
@Component(service = ConnectionHandler.class, property = "switchboard.route=/chat")
public final class ChatHandler implements ConnectionHandler {
    /** The longest nickname, in characters. */
    public static final int MAX_NICKNAME = 20;
    /** The longest chat message, in characters. */
    public static final int MAX_MESSAGE = 2000;

    private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_NICKNAME + "}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final String PROMPT = "? pick a nickname";

    /** The members who joined, by lower-case nickname, in joining order. Guarded by itself. */
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** The connections of the members: where lines for everyone go. Changed under the lock of {@link #members}. */
    private final Group room;

    /** The topic of the room: one name, so that a relay between nodes makes it one room across them. */
    static final String TOPIC = "chat";

    /**
     * In OSGi, the best-ranked broadcaster (greedy: a Redis relay that comes later replaces the
     * whiteboard's, and the connections move to the new instance as in a hot swap); in plain
     * Java, {@code new Broadcasts()} of the endpoint.
     */
    @Activate
    public ChatHandler(@Reference(policyOption = ReferencePolicyOption.GREEDY) Broadcaster broadcaster) {
        this.room = broadcaster.topic(TOPIC);
    }

    /**
     * The state of one connection, its attachment. Its nickname is written and read under the
     * room's lock.
     */
    static final class Member {
        final Connection connection;
        String nickname;

        Member(Connection connection) {
            this.connection = connection;
        }
    }

    @Override
    public void connect(Connection connection) {
        connection.attach(new Member(connection));
        connection.send(PROMPT);
    }

    @Override
    public void adopt(Connection connection) {
        if (connection.attachment() instanceof Member previous && previous.connection == connection
                && previous.nickname != null) {
            synchronized (members) {
                String key = key(previous.nickname);
                Member holder = members.get(key);
                if (holder == null || holder == previous) {
                    members.put(key, previous);
                    room.join(connection);
                    connection.send("+ " + previous.nickname);
                    return;
                }
            }
            connection.attach(new Member(connection));
            connection.send("! nickname taken: " + previous.nickname);
            connection.send(PROMPT);
            return;
        }
        connect(connection);
    }

    @Override
    public void message(Connection connection, String text) {
        Member member = connection.attachment();
        if (text.startsWith("/") && !text.startsWith("//")) {
            command(member, text);
        } else if (!joined(member)) {
            nick(member, text.strip());
        } else {
            say(member, text.startsWith("//") ? text.substring(1) : text);
        }
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        connection.send("! binary messages are not supported");
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        Member member = connection.attachment();
        if (member == null) {
            return;
        }
        synchronized (members) {
            if (member.nickname != null && members.remove(key(member.nickname), member)) {
                broadcast("* " + member.nickname + " left");
            }
        }
    }

    /** The nicknames in the room, in joining order: a snapshot. */
    public List<String> nicknames() {
        synchronized (members) {
            List<String> names = new ArrayList<>(members.size());
            members.values().forEach(member -> names.add(member.nickname));
            return names;
        }
    }

    private void command(Member member, String text) {
        String[] parts = text.split("\\s+", 2);
        if (parts[0].equals("/nick") && parts.length == 2) {
            nick(member, parts[1].strip());
        } else if (parts[0].equals("/nick")) {
            member.connection.send("! usage: /nick name");
        } else {
            member.connection.send("! unknown command: " + clean(parts[0], 40));
        }
    }

    private void nick(Member member, String nickname) {
        if (!NICKNAME.matcher(nickname).matches()) {
            member.connection.send("! invalid nickname: use 1 to " + MAX_NICKNAME
                    + " letters, digits, _ or -");
            return;
        }
        synchronized (members) {
            String key = key(nickname);
            Member holder = members.get(key);
            if (holder != null && holder != member) {
                member.connection.send("! nickname taken: " + nickname);
                return;
            }
            String previous = member.nickname;
            if (previous == null) {
                members.put(key, member);
                room.join(member.connection);
                member.nickname = nickname;
                member.connection.send("+ " + nickname);
                broadcast("* " + nickname + " joined");
                member.connection.send("* online: " + String.join(", ", nicknames()));
            } else if (!previous.equals(nickname)) {
                members.remove(key(previous));
                members.put(key, member);
                member.nickname = nickname;
                member.connection.send("+ " + nickname);
                broadcast("* " + previous + " is now known as " + nickname);
            }
        }
    }

    private void say(Member member, String text) {
        if (text.length() > MAX_MESSAGE) {
            member.connection.send("! message too long: at most " + MAX_MESSAGE + " characters");
            return;
        }
        String line = CONTROL.matcher(text).replaceAll(" ");
        if (line.isBlank()) {
            return;
        }
        synchronized (members) {
            if (members.get(key(member.nickname)) == member) {
                broadcast(member.nickname + ": " + line);
            }
        }
    }

    /** Sends a line to every member. The caller holds the lock, which makes the order total. */
    private void broadcast(String line) {
        room.send(line);
    }

    private boolean joined(Member member) {
        synchronized (members) {
            return member.nickname != null;
        }
    }

    private static String key(String nickname) {
        return nickname.toLowerCase(Locale.ROOT);
    }

    private static String clean(String text, int max) {
        String cleaned = CONTROL.matcher(text).replaceAll(" ");
        return cleaned.length() > max ? cleaned.substring(0, max) + "…" : cleaned;
    }
}

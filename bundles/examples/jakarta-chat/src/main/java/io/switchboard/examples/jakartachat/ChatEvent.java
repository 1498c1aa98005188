package io.switchboard.examples.jakartachat;

import java.util.List;

import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;

/**
 * What the server sends, one JSON object per text message:
 * <pre>
 * {"type":"hello","room":"lobby"}                                  on connecting: pick a nickname
 * {"type":"welcome","room":"lobby","nickname":"alice","online":["bob","alice"]}
 *                                                                  you joined; who is here, in joining order
 * {"type":"joined","nickname":"carol"}                             to the others: carol joined
 * {"type":"left","nickname":"bob"}                                 to the others: bob left
 * {"type":"message","from":"alice","text":"hello"}                 to everyone in the room
 * {"type":"error","reason":"nickname taken: bob"}                  to one client; nothing else happened
 * </pre>
 * Immutable records; {@link Encoding} writes them.
 */
public sealed interface ChatEvent {

    /** Sent on connecting (and on adoption after a hot swap): the client picks a nickname. */
    record Hello(String room) implements ChatEvent {
    }

    /** To the client that joined. */
    record Welcome(String room, String nickname, List<String> online) implements ChatEvent {
        public Welcome {
            online = List.copyOf(online);
        }
    }

    /** To the others in the room. */
    record Joined(String nickname) implements ChatEvent {
    }

    /** To the others in the room. */
    record Left(String nickname) implements ChatEvent {
    }

    /** To everyone in the room, the sender included. */
    record Message(String from, String text) implements ChatEvent {
    }

    /** To one client: what it sent was refused, and why. */
    record Refused(String reason) implements ChatEvent {
    }

    /** The encoder the endpoint names: one for every event. Stateless. */
    final class Encoding implements Encoder.Text<ChatEvent> {
        @Override
        public String encode(ChatEvent event) throws EncodeException {
            StringBuilder json = new StringBuilder(64).append("{\"type\":");
            // Java 17 has no pattern switch: the sealed interface keeps this list complete by review.
            if (event instanceof Hello hello) {
                member(json.append("\"hello\""), "room", hello.room());
            } else if (event instanceof Welcome welcome) {
                member(json.append("\"welcome\""), "room", welcome.room());
                member(json, "nickname", welcome.nickname());
                Json.array(json.append(",\"online\":"), welcome.online());
            } else if (event instanceof Joined joined) {
                member(json.append("\"joined\""), "nickname", joined.nickname());
            } else if (event instanceof Left left) {
                member(json.append("\"left\""), "nickname", left.nickname());
            } else if (event instanceof Message message) {
                member(json.append("\"message\""), "from", message.from());
                member(json, "text", message.text());
            } else if (event instanceof Refused refused) {
                member(json.append("\"error\""), "reason", refused.reason());
            } else {
                throw new EncodeException(event, "not an event of this chat");
            }
            return json.append('}').toString();
        }

        private static void member(StringBuilder json, String name, String value) {
            Json.quote(json.append(",\"").append(name).append("\":"), value);
        }
    }
}

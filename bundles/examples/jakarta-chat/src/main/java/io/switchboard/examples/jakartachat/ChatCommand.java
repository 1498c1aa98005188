package io.switchboard.examples.jakartachat;

import java.util.Map;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

/**
 * What a client sends, one JSON object per text message:
 * <pre>
 * {"type":"join","nickname":"alice"}   join the room of the connection's path as alice
 * {"type":"say","text":"hello"}        say something to the room (once joined)
 * </pre>
 * Immutable records; {@link Decoding} turns text into them.
 */
public sealed interface ChatCommand {

    /** Join the room under a nickname. */
    record Join(String nickname) implements ChatCommand {
    }

    /** Say something to the room. */
    record Say(String text) implements ChatCommand {
    }

    /**
     * The decoder the endpoint names. It takes every text message ({@code willDecode} is true),
     * so that a message that is not a command gets a {@link DecodeException} saying why, which
     * the endpoint sends back, rather than the bare "no decoder" of the container. A session has
     * its own instance; it keeps no state.
     */
    final class Decoding implements Decoder.Text<ChatCommand> {
        @Override
        public ChatCommand decode(String text) throws DecodeException {
            Map<String, String> members;
            try {
                members = Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new DecodeException(text, e.getMessage());
            }
            String type = members.get("type");
            if (type == null) {
                throw new DecodeException(text, "the member \"type\" is missing");
            }
            return switch (type) {
                case "join" -> new Join(required(text, members, "nickname"));
                case "say" -> new Say(required(text, members, "text"));
                default -> throw new DecodeException(text, "unknown type \"" + ChatRooms.shorten(type) + "\"");
            };
        }

        @Override
        public boolean willDecode(String text) {
            return true;
        }

        private static String required(String text, Map<String, String> members, String name) throws DecodeException {
            String value = members.get(name);
            if (value == null) {
                throw new DecodeException(text, "the member \"" + name + "\" is missing");
            }
            return value;
        }
    }
}

package io.switchboard.jakarta;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;

/** A chat line, and its JSON form written by hand: {@code {"from":"…","text":"…"}}. */
public record ChatMessage(String from, String text) {

    public static final class Encoding implements Encoder.Text<ChatMessage> {
        @Override
        public String encode(ChatMessage message) throws EncodeException {
            return "{\"from\":" + quote(message.from) + ",\"text\":" + quote(message.text) + "}";
        }
    }

    public static final class Decoding implements Decoder.Text<ChatMessage> {
        @Override
        public ChatMessage decode(String json) throws DecodeException {
            String prefix = "{\"from\":";
            int middle = json.indexOf(",\"text\":");
            if (!json.startsWith(prefix) || !json.endsWith("}") || middle < 0) {
                throw new DecodeException(json, "not a chat message");
            }
            return new ChatMessage(unquote(json, json.substring(prefix.length(), middle)),
                    unquote(json, json.substring(middle + 8, json.length() - 1)));
        }

        @Override
        public boolean willDecode(String text) {
            return text.startsWith("{");
        }
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String unquote(String json, String quoted) throws DecodeException {
        if (quoted.length() < 2 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
            throw new DecodeException(json, "a value is not a string: " + quoted);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                c = quoted.charAt(++i);
            } else if (c == '"') {
                throw new DecodeException(json, "an unescaped quote in " + quoted);
            }
            text.append(c);
        }
        return text.toString();
    }
}

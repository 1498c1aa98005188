package io.switchboard.cluster.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which topics are relayed: each entry is a topic name, or a name prefix followed by {@code *}
 * ({@code *} alone relays every topic); a {@code *} elsewhere is an ordinary character. Each entry
 * becomes one Redis channel pattern under the deployment's channel prefix. Immutable.
 */
public final class TopicFilter {
    private final List<String> entries;

    public TopicFilter(List<String> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no topic to relay: give * for every topic");
        }
        for (String entry : entries) {
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("an empty topic entry: give a name, a prefix with *, or *");
            }
        }
        this.entries = List.copyOf(entries);
    }

    public boolean relays(String topic) {
        return firstMatch(topic) >= 0;
    }

    /**
     * The index of the first entry that matches the topic, or -1. Redis delivers a message once
     * per matching pattern; the subscriber keeps only the first one's.
     */
    int firstMatch(String topic) {
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            boolean matches = entry.endsWith("*")
                    ? topic.startsWith(entry.substring(0, entry.length() - 1))
                    : topic.equals(entry);
            if (matches) {
                return i;
            }
        }
        return -1;
    }

    /** The Redis patterns, in the order of the entries: the prefix and the names taken literally. */
    byte[][] patterns(String channelPrefix) {
        byte[][] patterns = new byte[entries.size()][];
        for (int i = 0; i < patterns.length; i++) {
            String entry = entries.get(i);
            String pattern = entry.endsWith("*")
                    ? literal(channelPrefix + entry.substring(0, entry.length() - 1)) + "*"
                    : literal(channelPrefix + entry);
            patterns[i] = pattern.getBytes(StandardCharsets.UTF_8);
        }
        return patterns;
    }

    private static String literal(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}

package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** UTF-8 to and from {@code String}, strict both ways. */
final class Text {
    private Text() {
    }

    /** Decodes bytes the codec has already validated as UTF-8. */
    static String decode(ByteBuffer utf8) {
        int length = utf8.remaining();
        if (utf8.hasArray()) {
            return new String(utf8.array(), utf8.arrayOffset() + utf8.position(), length, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[length];
        utf8.get(utf8.position(), bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Encodes text for a text frame. {@link String#getBytes} would quietly turn an unpaired
     * surrogate into '?', sending something other than what the caller wrote: refuse it instead.
     */
    static byte[] encode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException("unpaired surrogate at index " + i);
                }
                i++;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

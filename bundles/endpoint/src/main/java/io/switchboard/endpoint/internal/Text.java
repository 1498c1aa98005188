package io.switchboard.endpoint.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 to and from {@code String}, strict both ways. Each selector loop has one, with an array
 * for each direction, so that the text messages of a loop's handlers (decoded for them, and the
 * answers they send from their callbacks) are converted without a fresh array per message.
 * Those methods are for the loop's thread only; {@link #encode(String)} is for any thread.
 */
final class Text {
    /** Messages up to this many bytes go through the loop's arrays; larger ones get their own. */
    private static final int SCRATCH_BYTES = 4096;

    private final byte[] decoding = new byte[SCRATCH_BYTES];
    private final ByteBuffer encoding = ByteBuffer.allocate(SCRATCH_BYTES);

    /** Decodes bytes the codec has already validated as UTF-8. Loop thread only. */
    String decode(ByteBuffer utf8) {
        int length = utf8.remaining();
        if (utf8.hasArray()) {
            return new String(utf8.array(), utf8.arrayOffset() + utf8.position(), length, StandardCharsets.UTF_8);
        }
        byte[] bytes = length <= decoding.length ? decoding : new byte[length];
        utf8.get(utf8.position(), bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * Encodes text for a text frame into the loop's array, which stays valid until the next call:
     * long enough for {@code send}, which copies it. Loop thread only.
     *
     * @throws IllegalArgumentException as {@link #encode(String)}
     */
    ByteBuffer encodeForSend(String text) {
        // A char takes at most 3 bytes (a surrogate pair, 2 chars, takes 4).
        if (text.length() > SCRATCH_BYTES / 3) {
            return ByteBuffer.wrap(encode(text));
        }
        byte[] out = encoding.array();
        int at = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                int codePoint = pairedCodePoint(text, i++);
                out[at++] = (byte) (0xF0 | codePoint >> 18);
                out[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | codePoint & 0x3F);
            }
        }
        return encoding.clear().limit(at);
    }

    /**
     * Encodes text for a text frame. {@link String#getBytes} would quietly turn an unpaired
     * surrogate into '?', sending something other than what the caller wrote: refuse it instead.
     */
    static byte[] encode(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                pairedCodePoint(text, i++);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The code point of the surrogate pair at {@code i}; throws if the surrogate there is unpaired. */
    private static int pairedCodePoint(String text, int i) {
        char high = text.charAt(i);
        if (!Character.isHighSurrogate(high) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
            throw new IllegalArgumentException("unpaired surrogate at index " + i);
        }
        return Character.toCodePoint(high, text.charAt(i + 1));
    }
}

package io.switchboard.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop's own UTF-8 conversion must agree with the JDK's, byte for byte, and refuse what the JDK would mangle. */
class TextTest {
    private final Text text = new Text();

    @ParameterizedTest
    @ValueSource(strings = {"", "echo", "é", "€ 100", "\uD83D\uDE00", "a\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFF z"})
    void encodesAsTheJdkDoes(String sample) {
        assertArrayEquals(sample.getBytes(StandardCharsets.UTF_8), bytes(text.encodeForSend(sample)));
        assertArrayEquals(sample.getBytes(StandardCharsets.UTF_8), Text.encode(sample));
    }

    @Test
    void randomTextOfEverySizeAroundTheArray() {
        SplittableRandom random = new SplittableRandom(6455);
        for (int length = 1300; length < 1500; length++) { // the loop's array takes up to 1365 chars
            StringBuilder builder = new StringBuilder();
            while (builder.length() < length) {
                builder.appendCodePoint(randomCodePoint(random));
            }
            String sample = builder.toString();
            byte[] expected = sample.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, bytes(text.encodeForSend(sample)), "length " + length);
            assertEquals(sample, text.decode(ByteBuffer.allocateDirect(expected.length).put(expected).flip()));
            assertEquals(sample, text.decode(ByteBuffer.wrap(expected)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "a\uDC00", "\uD800a", "\uDC00\uD800", "ok \uDBFF"})
    void refusesUnpairedSurrogates(String sample) {
        assertThrows(IllegalArgumentException.class, () -> text.encodeForSend(sample));
        assertThrows(IllegalArgumentException.class, () -> Text.encode(sample));
    }

    private static int randomCodePoint(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> random.nextInt(0x80, 0x800);
            case 2 -> random.nextBoolean() ? random.nextInt(0x800, 0xD800) : random.nextInt(0xE000, 0x10000);
            default -> random.nextInt(0x10000, 0x110000);
        };
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(buffer.position(), bytes);
        return bytes;
    }
}

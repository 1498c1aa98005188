package io.switchboard.cluster.redis.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The relay's wire format and its topic filter, including what they make of bad input. */
class EnvelopeTest {
    private final UUID node = UUID.randomUUID();

    @Test
    void textAndBinaryComeBackAsSentWithTheSendersId() {
        Envelope text = Envelope.read(Envelope.text(node, "héllo \uD83D\uDE00"));
        assertEquals(node, text.node());
        assertTrue(text.text());
        assertEquals("héllo \uD83D\uDE00", text.textOrNull());

        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5});
        data.position(1);
        Envelope binary = Envelope.read(Envelope.binary(node, data));
        assertEquals(1, data.position(), "the sender's buffer is left as it was");
        assertFalse(binary.text());
        assertArrayEquals(new byte[] {8, 7, 6, 5}, binary.body());
        assertEquals(0, Envelope.read(Envelope.text(node, "")).body().length);
        assertThrows(IllegalArgumentException.class, () -> Envelope.text(node, "half a pair \uD83D"));
    }

    @Test
    void whatIsNotAnEnvelopeIsRefused() {
        byte[] valid = Envelope.text(node, "x");
        assertNull(Envelope.read(new byte[0]));
        assertNull(Envelope.read("hello from someone else".getBytes(StandardCharsets.UTF_8)));
        assertNull(Envelope.read(java.util.Arrays.copyOf(valid, Envelope.HEADER - 1)), "too short");
        byte[] otherVersion = valid.clone();
        otherVersion[0] = 2;
        assertNull(Envelope.read(otherVersion));
        byte[] otherKind = valid.clone();
        otherKind[1] = 'X';
        assertNull(Envelope.read(otherKind));
        byte[] badText = valid.clone();
        badText[Envelope.HEADER] = (byte) 0xC0;
        assertNull(Envelope.read(badText).textOrNull(), "text that is not UTF-8");
    }

    @Test
    void topicsAreNamesOrPrefixesAndTheirPatternsTakeEverythingElseLiterally() {
        TopicFilter filter = new TopicFilter(List.of("chat.*", "news", "a*b*"));
        assertTrue(filter.relays("chat.room-1"));
        assertTrue(filter.relays("chat."));
        assertTrue(filter.relays("news"));
        assertFalse(filter.relays("news2"));
        assertFalse(filter.relays("chat"));
        assertTrue(filter.relays("a*b-anything"));
        assertFalse(filter.relays("axb"), "only a trailing * is a wildcard");
        assertEquals(0, filter.firstMatch("chat.x"));
        byte[][] patterns = filter.patterns("dep[1]:");
        assertEquals("dep\\[1\\]:chat.*", new String(patterns[0], StandardCharsets.UTF_8));
        assertEquals("dep\\[1\\]:news", new String(patterns[1], StandardCharsets.UTF_8));
        assertEquals("dep\\[1\\]:a\\*b*", new String(patterns[2], StandardCharsets.UTF_8));
        assertTrue(new TopicFilter(List.of("*")).relays("anything"));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter(List.of("")));
    }
}

package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Messages received in parts ({@link MessageDecoder#receiveInParts}): each chunk handed out as it
 * comes, text cut on code points, inflated output in bounded pieces, and no message limit.
 */
class MessagePartsTest {
    private static final int KEY = 0x1B2C3D4E;
    /** A message limit far below the messages these tests send in parts. */
    private static final DecoderLimits SMALL = new DecoderLimits(1000, 1000, 4);

    /** What came out: one entry per part or message, with its kind, its bytes and whether it was the last part. */
    private record Out(int opcode, byte[] bytes, boolean last) {
    }

    private static List<Out> decode(MessageDecoder decoder, List<byte[]> reads) throws ProtocolViolation {
        List<Out> out = new ArrayList<>();
        for (byte[] read : reads) {
            ByteBuffer in = ByteBuffer.wrap(read.clone());
            for (int opcode; (opcode = decoder.decode(in)) != MessageDecoder.NEED_MORE; ) {
                ByteBuffer payload = decoder.payload();
                byte[] bytes = new byte[payload.remaining()];
                payload.duplicate().get(bytes);
                out.add(new Out(opcode, bytes, decoder.isLastPart()));
            }
        }
        return out;
    }

    private static byte[] joined(List<Out> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(part -> all.writeBytes(part.bytes));
        return all.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A message cut into frames of {@code frameSize}, the first with {@code opcode}. */
    private static byte[] fragmented(int opcode, byte[] message, int frameSize) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int at = 0; at < message.length; at += frameSize) {
            byte[] piece = java.util.Arrays.copyOfRange(message, at, Math.min(message.length, at + frameSize));
            wire.writeBytes(Feed.clientFrame(at + frameSize >= message.length, at == 0 ? opcode : Opcode.CONTINUATION, piece, KEY));
        }
        return wire.toByteArray();
    }

    @Test
    void aBinaryMessageOverTheMessageLimitArrivesInPartsInOrderPastTheFragmentLimit() throws ProtocolViolation {
        byte[] message = random(20_000, 1);
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(false, true);
        List<Out> parts = decode(decoder, List.of(fragmented(Opcode.BINARY, message, 900)));
        assertEquals(23, parts.size(), "one part per frame");
        for (int i = 0; i < parts.size(); i++) {
            assertEquals(MessageDecoder.BINARY_PART, parts.get(i).opcode);
            assertEquals(i == parts.size() - 1, parts.get(i).last, "only the last part is last");
        }
        assertArrayEquals(message, joined(parts));
    }

    @Test
    void aFrameSplitAcrossReadsArrivesAsOnePartPerReadWithControlFramesBetween() throws ProtocolViolation {
        byte[] first = random(600, 2);
        byte[] second = random(300, 3);
        byte[] wire = Feed.concat(Feed.clientFrame(false, Opcode.BINARY, first, KEY),
                Feed.clientFrame(true, Opcode.PING, new byte[] {7}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, second, KEY));
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(false, true);
        List<Out> out = decode(decoder, Feed.split(wire, 300, 609));
        assertEquals(List.of(MessageDecoder.BINARY_PART, MessageDecoder.BINARY_PART, Opcode.PING, MessageDecoder.BINARY_PART),
                out.stream().map(Out::opcode).toList());
        assertEquals(List.of(292, 308, 1, 300), out.stream().map(o -> o.bytes.length).toList(),
                "a part per read of the frame's bytes (the 8-byte header came before the first)");
        assertArrayEquals(Feed.concat(first, second), joined(List.of(out.get(0), out.get(1), out.get(3))));
        assertTrue(out.get(3).last);
    }

    @Test
    void aCodePointSplitAcrossFramesArrivesWholeInTheNextPart() throws ProtocolViolation {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        byte[] wire = Feed.concat(
                Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a', euro[0]}, KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, new byte[] {euro[1]}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {euro[2], 'b'}, KEY));
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(true, false);
        List<Out> parts = decode(decoder, List.of(wire));
        assertEquals(List.of("a", "€b"), parts.stream().map(p -> new String(p.bytes, StandardCharsets.UTF_8)).toList());
        assertEquals(List.of(false, true), parts.stream().map(Out::last).toList());
        assertEquals(MessageDecoder.TEXT_PART, parts.get(0).opcode);
    }

    @Test
    void invalidUtf8InALaterFragmentIs1007AfterTheEarlierParts() throws ProtocolViolation {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(true, false);
        List<Out> before = decode(decoder, List.of(Feed.clientFrame(false, Opcode.TEXT, "fine".getBytes(), KEY)));
        assertEquals(1, before.size());
        byte[] bad = Feed.clientFrame(false, Opcode.CONTINUATION, new byte[] {'x', (byte) 0xC0, 'y'}, KEY);
        ProtocolViolation violation = assertThrows(ProtocolViolation.class, () -> decode(decoder, List.of(bad)));
        assertEquals(1007, violation.closeCode());
    }

    @Test
    void aTextMessageEndingInsideACodePointIs1007() {
        byte[] wire = Feed.concat(Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a', (byte) 0xE2}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {(byte) 0x82}, KEY));
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(true, false);
        assertEquals(1007, assertThrows(ProtocolViolation.class, () -> decode(decoder, List.of(wire))).closeCode());
    }

    @Test
    void theFrameLimitStillApplies() {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(true, true);
        byte[] wire = Feed.clientFrame(true, Opcode.BINARY, new byte[1001], KEY);
        assertEquals(1009, assertThrows(ProtocolViolation.class, () -> decode(decoder, List.of(wire))).closeCode());
    }

    @Test
    void theOtherKindStaysWholeAndLimited() throws ProtocolViolation {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, null);
        decoder.receiveInParts(false, true);
        byte[] text = fragmented(Opcode.TEXT, "hello world".getBytes(), 4);
        List<Out> out = decode(decoder, List.of(text));
        assertEquals(1, out.size());
        assertEquals(Opcode.TEXT, out.get(0).opcode);
        assertEquals("hello world", new String(out.get(0).bytes, StandardCharsets.UTF_8));
        byte[] tooLong = fragmented(Opcode.TEXT, new byte[1200], 600);
        assertEquals(1009, assertThrows(ProtocolViolation.class, () -> decode(decoder, List.of(tooLong))).closeCode());
    }

    @Test
    void aCompressedMessageInflatesInBoundedPiecesPastTheMessageLimit() throws ProtocolViolation {
        byte[] message = new byte[300_000]; // zeros and a little noise: it compresses to a few frames
        System.arraycopy(random(1000, 4), 0, message, 150_000, 1000);
        byte[] compressed = compress(message);
        assertTrue(compressed.length < 3 * 1000, "fits in three frames of the limit: " + compressed.length);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int at = 0; at < compressed.length; at += 1000) {
            byte[] piece = java.util.Arrays.copyOfRange(compressed, at, Math.min(compressed.length, at + 1000));
            wire.writeBytes(Feed.frame(at + 1000 >= compressed.length, at == 0, at == 0 ? Opcode.BINARY : Opcode.CONTINUATION,
                    piece, true, KEY));
        }
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, SMALL, new PerMessageDeflate(false, false));
        decoder.receiveInParts(true, true);
        List<Out> parts = decode(decoder, List.of(wire.toByteArray()));
        assertTrue(parts.size() >= message.length / MessageDecoder.INFLATED_PIECE, "parts: " + parts.size());
        for (Out part : parts) {
            assertTrue(part.bytes.length <= MessageDecoder.INFLATED_PIECE);
            assertEquals(MessageDecoder.BINARY_PART, part.opcode);
        }
        assertEquals(List.of(true), parts.stream().filter(Out::last).map(Out::last).toList());
        assertTrue(parts.get(parts.size() - 1).last);
        assertArrayEquals(message, joined(parts));

        // The same decoder goes on with whole messages of the kinds not received in parts.
        decoder.receiveInParts(false, false);
        byte[] small = compress("again".getBytes());
        List<Out> next = decode(decoder, List.of(Feed.frame(true, true, Opcode.TEXT, small, true, KEY)));
        assertEquals("again", new String(next.get(0).bytes, StandardCharsets.UTF_8));
        assertEquals(Opcode.TEXT, next.get(0).opcode);
    }

    @Test
    void compressedTextIsCutOnCodePointsBetweenPieces() throws ProtocolViolation {
        String text = "ä€😀".repeat(40_000); // 2, 3 and 4 byte code points: pieces cut them
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        byte[] wire = Feed.frame(true, true, Opcode.TEXT, compress(message), true, KEY);
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, new DecoderLimits(wire.length, 1000, 4),
                new PerMessageDeflate(false, false));
        decoder.receiveInParts(true, false);
        List<Out> parts = decode(decoder, List.of(wire));
        assertTrue(parts.size() > 2);
        StringBuilder joined = new StringBuilder();
        for (Out part : parts) {
            assertEquals(MessageDecoder.TEXT_PART, part.opcode);
            String decoded = new String(part.bytes, StandardCharsets.UTF_8);
            assertArrayEquals(part.bytes, decoded.getBytes(StandardCharsets.UTF_8), "a part of whole code points");
            joined.append(decoded);
        }
        assertEquals(text, joined.toString());
    }

    private static byte[] compress(byte[] message) {
        MessageDeflater deflater = new MessageDeflater(false, java.util.zip.Deflater.DEFAULT_COMPRESSION);
        ByteBuffer out = deflater.deflate(ByteBuffer.wrap(message));
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}

package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Message assembly and its limits: message size across fragments, and fragments per message. */
class MessageLimitsTest {
    private static final int KEY = 0x5A5A1234;

    @Test
    void aMessageAtTheSizeLimitAcrossFragmentsIsFine() throws ProtocolViolation {
        DecoderLimits limits = new DecoderLimits(600, 1000, 10);
        byte[] wire = Feed.concat(
                Feed.clientFrame(false, Opcode.BINARY, new byte[600], KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[400], KEY));
        List<String> events = Feed.decode(new MessageDecoder(Role.SERVER, limits, null), wire);
        assertEquals(List.of("binary:" + "00".repeat(1000)), events);
    }

    @Test
    void aMessageOverTheSizeLimitIs1009FromTheHeaderOfTheFragmentThatPassesIt() {
        DecoderLimits limits = new DecoderLimits(600, 1000, 10);
        byte[] first = Feed.clientFrame(false, Opcode.BINARY, new byte[600], KEY);
        byte[] secondHeader = Feed.frame(true, false, Opcode.CONTINUATION, new byte[401], true, KEY);
        byte[] wire = Feed.concat(first, java.util.Arrays.copyOf(secondHeader, 8)); // header only
        FrameRulesTest.assertViolation(1009, new MessageDecoder(Role.SERVER, limits, null), wire);
    }

    @Test
    void aOneFrameMessageOverTheSizeLimitIs1009EvenWhenTheFrameLimitIsHigher() {
        DecoderLimits limits = new DecoderLimits(2000, 1000, 10);
        for (int opcode : new int[] {Opcode.BINARY, Opcode.TEXT}) {
            byte[] wire = Feed.clientFrame(true, opcode, new byte[1001], KEY);
            FrameRulesTest.assertViolation(1009, new MessageDecoder(Role.SERVER, limits, null), wire);
        }
    }

    @Test
    void moreFragmentsThanTheLimitIs1009() throws ProtocolViolation {
        DecoderLimits limits = new DecoderLimits(1000, 1000, 3);
        byte[] three = Feed.concat(
                Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a'}, KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, new byte[0], KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {'b'}, KEY));
        assertEquals(List.of("text:ab"), Feed.decode(new MessageDecoder(Role.SERVER, limits, null), three));

        byte[] endless = Feed.concat(
                Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a'}, KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, new byte[0], KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, new byte[0], KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, new byte[0], KEY));
        FrameRulesTest.assertViolation(1009, new MessageDecoder(Role.SERVER, limits, null), endless);
    }

    @Test
    void theFragmentCountStartsAgainWithEachMessage() throws ProtocolViolation {
        DecoderLimits limits = new DecoderLimits(1000, 1000, 2);
        byte[] twoByTwo = Feed.concat(
                Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a'}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {'b'}, KEY),
                Feed.clientFrame(false, Opcode.TEXT, new byte[] {'c'}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {'d'}, KEY));
        assertEquals(List.of("text:ab", "text:cd"), Feed.decode(new MessageDecoder(Role.SERVER, limits, null), twoByTwo));
    }

    @Test
    void theAssemblyBufferIsReusedAndStillRight() throws ProtocolViolation {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
        for (int size : new int[] {10, 5000, 70_000, 3, 200_000, 17}) {
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) (i * 7 + size);
            }
            int half = size / 2;
            byte[] wire = Feed.concat(
                    Feed.clientFrame(false, Opcode.BINARY, java.util.Arrays.copyOf(payload, half), KEY),
                    Feed.clientFrame(true, Opcode.CONTINUATION, java.util.Arrays.copyOfRange(payload, half, size), KEY));
            ByteBuffer in = ByteBuffer.wrap(wire);
            assertEquals(Opcode.BINARY, decoder.decode(in));
            assertEquals(ByteBuffer.wrap(payload), decoder.payload(), "size " + size);
        }
    }

    /** A stream of large messages reuses one assembly buffer; trim() lets it go, but never mid-message. */
    @Test
    void largeMessagesShareOneAssemblyBufferUntilTrimmed() throws ProtocolViolation {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.ofMessageSize(1 << 20, 16), null);
        byte[] half = new byte[100_000];
        byte[] message = Feed.concat(
                Feed.clientFrame(false, Opcode.BINARY, half, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, half, KEY));

        ByteBuffer first = assembled(decoder, message);
        assertTrue(first.isDirect(), "assembled in a heap buffer: an echo of it would be copied on its way out");
        assertSame(first, assembled(decoder, message), "the second large message grew a buffer of its own");

        ByteBuffer firstHalf = ByteBuffer.wrap(Feed.clientFrame(false, Opcode.BINARY, half, KEY));
        assertEquals(MessageDecoder.NEED_MORE, decoder.decode(firstHalf));
        decoder.trim(); // mid-message: keeps the buffer and what it holds
        assertEquals(Opcode.BINARY, decoder.decode(ByteBuffer.wrap(Feed.clientFrame(true, Opcode.CONTINUATION, half, KEY))));
        assertEquals(200_000, decoder.payload().remaining());
        assertSame(first, decoder.payload());

        decoder.trim();
        assertNotSame(first, assembled(decoder, message), "trim() kept the large buffer");
    }

    /** The buffer the message was put together in. */
    private static ByteBuffer assembled(MessageDecoder decoder, byte[] wire) throws ProtocolViolation {
        assertEquals(Opcode.BINARY, decoder.decode(ByteBuffer.wrap(wire)));
        assertEquals(200_000, decoder.payload().remaining());
        return decoder.payload();
    }
}

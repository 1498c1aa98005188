package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed messages (RFC 7692): the RFC's own examples, {@link MessageDeflater}'s output, a
 * seeded round trip through {@link MessageDecoder}, RSV1 rules, decompression bombs and limits.
 */
class CompressedMessageTest {
    private static final long SEED = Long.getLong("switchboard.seed", System.nanoTime());
    private static final int MASK_KEY = 0x37FA213D;
    private static final PerMessageDeflate CONTEXT_TAKEOVER = new PerMessageDeflate(false, false);

    // ---------------------------------------------------------------- helpers

    record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        static Frame of(boolean fin, boolean rsv1, int opcode, String payloadHex) {
            return new Frame(fin, rsv1, opcode, hex(payloadHex));
        }

        byte[] encode(boolean masked, int maskKey) {
            ByteBuffer out = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.length);
            FrameWriter.writeFrame(out, fin, rsv1, opcode, ByteBuffer.wrap(payload), masked, maskKey);
            return Arrays.copyOf(out.array(), out.position());
        }
    }

    /** A decoded message or control frame: opcode and a copy of its payload. */
    record Received(int opcode, byte[] payload) {
        String describe() {
            return switch (opcode) {
                case Opcode.TEXT -> "text:" + new String(payload, StandardCharsets.UTF_8);
                case Opcode.BINARY -> "binary:" + HexFormat.of().formatHex(payload);
                default -> "opcode " + opcode + ":" + HexFormat.of().formatHex(payload);
            };
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] wire(List<Frame> frames, boolean masked) {
        List<byte[]> encoded = new ArrayList<>();
        for (Frame frame : frames) {
            encoded.add(frame.encode(masked, MASK_KEY));
        }
        return concat(encoded);
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Compresses with a {@link MessageDeflater} and copies the result out of its reused buffer. */
    private static byte[] deflate(MessageDeflater deflater, byte[] message) {
        ByteBuffer input = ByteBuffer.wrap(message);
        byte[] payload = remaining(deflater.deflate(input));
        assertEquals(0, input.remaining(), "the deflater consumes the message");
        return payload;
    }

    private static MessageDecoder clientDecoder(PerMessageDeflate deflate) {
        return new MessageDecoder(Role.CLIENT, DecoderLimits.DEFAULT, deflate);
    }

    private static MessageDecoder serverDecoder(PerMessageDeflate deflate) {
        return new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, deflate);
    }

    /** Feeds each read (copied into a heap or direct buffer) and returns everything decoded. */
    private static List<Received> decode(MessageDecoder decoder, List<byte[]> reads, Random directChooser)
            throws ProtocolViolation {
        List<Received> received = new ArrayList<>();
        for (byte[] read : reads) {
            boolean direct = directChooser != null && directChooser.nextInt(4) == 0;
            ByteBuffer in = direct ? ByteBuffer.allocateDirect(read.length) : ByteBuffer.allocate(read.length);
            in.put(read).flip();
            for (int opcode; (opcode = decoder.decode(in)) != MessageDecoder.NEED_MORE; ) {
                received.add(new Received(opcode, remaining(decoder.payload())));
            }
            assertEquals(0, in.remaining(), "NEED_MORE with bytes left");
        }
        return received;
    }

    private static List<Received> decode(MessageDecoder decoder, byte[]... reads) throws ProtocolViolation {
        return decode(decoder, List.of(reads), null);
    }

    private static List<String> texts(List<Received> received) {
        return received.stream().map(Received::describe).toList();
    }

    private static List<byte[]> cut(byte[] bytes, int... cuts) {
        List<byte[]> reads = new ArrayList<>();
        int from = 0;
        for (int at : cuts) {
            reads.add(Arrays.copyOfRange(bytes, from, at));
            from = at;
        }
        reads.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return reads;
    }

    private static List<byte[]> byteByByte(byte[] bytes) {
        List<byte[]> reads = new ArrayList<>();
        for (byte b : bytes) {
            reads.add(new byte[] {b});
        }
        return reads;
    }

    private static int closeCodeOf(MessageDecoder decoder, List<byte[]> reads) {
        ProtocolViolation violation = assertThrows(ProtocolViolation.class, () -> decode(decoder, reads, null));
        return violation.closeCode();
    }

    private static int closeCodeOf(MessageDecoder decoder, byte[]... reads) {
        return closeCodeOf(decoder, List.of(reads));
    }

    // ---------------------------------------------------------------- RFC 7692 §7.2.3 examples

    static Stream<Arguments> rfcExamples() {
        return Stream.of(
                Arguments.of("7.2.3.1 a message compressed in one frame",
                        List.of(Frame.of(true, true, Opcode.TEXT, "f2 48 cd c9 c9 07 00")),
                        "c1 07 f2 48 cd c9 c9 07 00",
                        List.of("text:Hello")),
                Arguments.of("7.2.3.1 the same message fragmented",
                        List.of(Frame.of(false, true, Opcode.TEXT, "f2 48 cd"),
                                Frame.of(true, false, Opcode.CONTINUATION, "c9 c9 07 00")),
                        "41 03 f2 48 cd 80 04 c9 c9 07 00",
                        List.of("text:Hello")),
                Arguments.of("7.2.3.2 two messages sharing the LZ77 window",
                        List.of(Frame.of(true, true, Opcode.TEXT, "f2 48 cd c9 c9 07 00"),
                                Frame.of(true, true, Opcode.TEXT, "f2 00 11 00 00")),
                        "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00",
                        List.of("text:Hello", "text:Hello")),
                Arguments.of("7.2.3.3 a DEFLATE block with no compression",
                        List.of(Frame.of(true, true, Opcode.TEXT, "00 05 00 fa ff 48 65 6c 6c 6f 00")),
                        "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00",
                        List.of("text:Hello")),
                Arguments.of("7.2.3.4 a DEFLATE block with BFINAL set to 1",
                        List.of(Frame.of(true, true, Opcode.TEXT, "f3 48 cd c9 c9 07 00 00")),
                        "c1 08 f3 48 cd c9 c9 07 00 00",
                        List.of("text:Hello")),
                Arguments.of("7.2.3.5 two DEFLATE blocks in one message",
                        List.of(Frame.of(true, true, Opcode.TEXT, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")),
                        "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00",
                        List.of("text:Hello")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExamplePayloadsInflateToHelloWithPlainZlib(String name, List<Frame> frames, String wireHex,
            List<String> expected) throws DataFormatException {
        // the vectors checked independently of the decoder: RFC 7692 §7.2.2 with java.util.zip alone
        Inflater inflater = new Inflater(true);
        try {
            List<String> messages = new ArrayList<>();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            for (Frame frame : frames) {
                message.writeBytes(frame.payload());
                if (frame.fin()) {
                    message.writeBytes(hex("00 00 ff ff"));
                    byte[] input = message.toByteArray();
                    inflater.setInput(input);
                    byte[] out = new byte[100];
                    int n = inflater.inflate(out);
                    messages.add("text:" + new String(out, 0, n, StandardCharsets.UTF_8));
                    if (inflater.finished()) {
                        inflater.reset();
                    }
                    message.reset();
                }
            }
            assertEquals(expected, messages);
        } finally {
            inflater.end();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExampleDecodesInOneRead(String name, List<Frame> frames, String wireHex, List<String> expected)
            throws ProtocolViolation {
        byte[] wire = wire(frames, false);
        assertEquals(wireHex.replace(" ", ""), hex(wire), "the frames are the RFC's bytes");
        assertEquals(expected, texts(decode(clientDecoder(CONTEXT_TAKEOVER), wire)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExampleDecodesWhenCutIntoTwoReadsAtEveryPosition(String name, List<Frame> frames, String wireHex,
            List<String> expected) throws ProtocolViolation {
        byte[] wire = hex(wireHex);
        for (int at = 0; at <= wire.length; at++) {
            List<Received> received;
            try {
                received = decode(clientDecoder(CONTEXT_TAKEOVER), cut(wire, at), null);
            } catch (ProtocolViolation violation) {
                throw new AssertionError("cut at " + at + ": " + violation.closeCode() + " " + violation.getMessage());
            }
            assertEquals(expected, texts(received), "cut at " + at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExampleDecodesByteByByte(String name, List<Frame> frames, String wireHex, List<String> expected)
            throws ProtocolViolation {
        assertEquals(expected, texts(decode(clientDecoder(CONTEXT_TAKEOVER), byteByByte(hex(wireHex)), null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void rfcExampleDecodesAsServerWhenTheClientMasksIt(String name, List<Frame> frames, String wireHex,
            List<String> expected) throws ProtocolViolation {
        byte[] masked = wire(frames, true);
        assertEquals(expected, texts(decode(serverDecoder(CONTEXT_TAKEOVER), masked)), "one read");
        for (int at = 0; at <= masked.length; at++) {
            assertEquals(expected, texts(decode(serverDecoder(CONTEXT_TAKEOVER), cut(masked, at), null)),
                    "cut at " + at);
        }
    }

    /**
     * RFC 7692 §7.2.3.4: the octet after the BFINAL block is part of the payload. Whether it comes
     * in the same read, a later read or a later fragment must not matter.
     */
    @Test
    void finalBlockDecodesWhenItsTrailingOctetArrivesSeparately() throws ProtocolViolation {
        byte[] wire = hex("c1 08 f3 48 cd c9 c9 07 00 00");
        assertEquals(List.of("text:Hello"), texts(decode(clientDecoder(CONTEXT_TAKEOVER), wire)), "one read");
        assertEquals(List.of("text:Hello"), texts(decode(clientDecoder(CONTEXT_TAKEOVER), cut(wire, 9), null)),
                "last octet in a read of its own");
        byte[] fragmented = hex("41 07 f3 48 cd c9 c9 07 00" + "80 01 00");
        assertEquals(List.of("text:Hello"), texts(decode(clientDecoder(CONTEXT_TAKEOVER), fragmented)),
                "last octet in a continuation frame");
    }

    @Test
    void compressedEmptyMessageIsASingleZeroOctet() throws ProtocolViolation {
        assertEquals(List.of("text:", "binary:", "text:Hello"),
                texts(decode(clientDecoder(CONTEXT_TAKEOVER), hex("c1 01 00 c2 01 00 c1 07 f2 48 cd c9 c9 07 00"))));
    }

    // ---------------------------------------------------------------- MessageDeflater output

    @Test
    void deflaterProducesTheRfcBytesForHelloAndABackReferenceForTheSecond() throws ProtocolViolation {
        MessageDeflater deflater = new MessageDeflater(false, -1);
        byte[] first = deflate(deflater, utf8("Hello"));
        byte[] second = deflate(deflater, utf8("Hello"));
        assertEquals("f248cdc9c90700", hex(first));
        assertEquals("f200110000", hex(second));
        deflater.release();
    }

    @Test
    void deflaterWithoutContextTakeoverRepeatsTheSameBytes() {
        MessageDeflater deflater = new MessageDeflater(true, -1);
        for (int i = 0; i < 3; i++) {
            assertEquals("f248cdc9c90700", hex(deflate(deflater, utf8("Hello"))), "message " + i);
        }
        deflater.release();
    }

    @Test
    void deflaterAtLevelZeroProducesTheRfcStoredBlock() {
        MessageDeflater deflater = new MessageDeflater(true, 0);
        assertEquals("000500faff48656c6c6f00", hex(deflate(deflater, utf8("Hello"))));
        deflater.release();
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {-2, 10, Integer.MIN_VALUE})
    void deflaterRefusesALevelOutsideMinusOneToNine(int level) {
        assertThrows(IllegalArgumentException.class, () -> new MessageDeflater(false, level));
    }

    @ParameterizedTest(name = "no context takeover: {0}")
    @ValueSource(booleans = {false, true})
    void emptyMessagesInARowRoundTrip(boolean noContextTakeover) throws ProtocolViolation {
        MessageDeflater deflater = new MessageDeflater(noContextTakeover, -1);
        String[] messages = {"", "", "Hello", "", "", "", "Hello", ""};
        String[] payloads = {"00", "00", "f248cdc9c90700", "00", "00", "00",
                noContextTakeover ? "f248cdc9c90700" : "f200110000", "00"};
        List<Frame> frames = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            byte[] payload = deflate(deflater, utf8(messages[i]));
            assertEquals(payloads[i], hex(payload), "payload of message " + i);
            frames.add(new Frame(true, true, Opcode.TEXT, payload));
            expected.add("text:" + messages[i]);
        }
        deflater.release();

        PerMessageDeflate agreed = new PerMessageDeflate(noContextTakeover, false);
        byte[] wire = wire(frames, false);
        assertEquals(expected, texts(decode(clientDecoder(agreed), wire)), "one read");
        assertEquals(expected, texts(decode(clientDecoder(agreed), byteByByte(wire), null)), "byte by byte");

        // and the same as a server receiving masked frames
        PerMessageDeflate fromClient = new PerMessageDeflate(false, noContextTakeover);
        assertEquals(expected, texts(decode(serverDecoder(fromClient), wire(frames, true))), "masked");
    }

    // ---------------------------------------------------------------- seeded round trip

    static Stream<Arguments> roundTripConfigurations() {
        return Stream.of(
                Arguments.of(Role.SERVER, false), Arguments.of(Role.SERVER, true),
                Arguments.of(Role.CLIENT, false), Arguments.of(Role.CLIENT, true));
    }

    @ParameterizedTest(name = "decoder {0}, no context takeover {1}")
    @MethodSource("roundTripConfigurations")
    void randomMessagesComeBackByteIdenticalThroughDeflateFragmentsAndRandomReads(Role role, boolean noContextTakeover)
            throws ProtocolViolation {
        long seed = SEED + 31L * role.ordinal() + (noContextTakeover ? 1 : 0);
        System.out.println("CompressedMessageTest seed " + SEED + " (rerun with -Dswitchboard.seed=" + SEED + ")");
        Random random = new Random(seed);
        int level = random.nextInt(11) - 1;
        boolean masked = role == Role.SERVER;
        // only the sender's flag may decide whether the decoder resets; the other flag is set to the
        // opposite so that a decoder reading the wrong one breaks the context or is never tested
        PerMessageDeflate agreed = role == Role.SERVER
                ? new PerMessageDeflate(!noContextTakeover, noContextTakeover)
                : new PerMessageDeflate(noContextTakeover, !noContextTakeover);
        String context = "seed " + SEED + ", role " + role + ", level " + level + ", " + agreed;

        MessageDeflater deflater = new MessageDeflater(noContextTakeover, level);
        List<byte[]> frames = new ArrayList<>();
        List<Received> expected = new ArrayList<>();
        long totalBytes = 0;
        int compressedCount = 0;
        int fragmentedCount = 0;
        for (int m = 0; m < 30; m++) {
            boolean text = random.nextBoolean();
            int opcode = text ? Opcode.TEXT : Opcode.BINARY;
            byte[] message = text ? randomText(random) : randomBinary(random);
            if (m == 0) { // at least one large message and one empty one in every run
                message = Arrays.copyOf(message, 150_000 + random.nextInt(50_001));
                opcode = Opcode.BINARY;
            } else if (m == 1) {
                message = new byte[0];
            }
            totalBytes += message.length;
            boolean compressed = random.nextInt(5) != 0; // uncompressed messages may come between
            byte[] payload = compressed ? deflate(deflater, message) : message;

            int fragments = random.nextInt(3) == 0 ? 2 + random.nextInt(4) : 1;
            compressedCount += compressed ? 1 : 0;
            fragmentedCount += fragments > 1 ? 1 : 0;
            int[] cuts = random.ints(fragments - 1, 0, payload.length + 1).sorted().toArray();
            List<byte[]> pieces = cut(payload, cuts);
            for (int f = 0; f < fragments; f++) {
                boolean first = f == 0;
                boolean last = f == fragments - 1;
                frames.add(new Frame(last, first && compressed, first ? opcode : Opcode.CONTINUATION, pieces.get(f))
                        .encode(masked, random.nextInt()));
                if (!last && random.nextInt(4) == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    random.nextBytes(ping);
                    frames.add(new Frame(true, false, Opcode.PING, ping).encode(masked, random.nextInt()));
                    expected.add(new Received(Opcode.PING, ping));
                }
            }
            expected.add(new Received(opcode, message));
        }
        deflater.release();

        byte[] wire = concat(frames);
        List<byte[]> reads = randomReads(random, wire);
        System.out.println("CompressedMessageTest round trip: " + expected.size() + " messages and pings, "
                + totalBytes + " message bytes, " + compressedCount + " compressed, " + fragmentedCount
                + " fragmented, " + wire.length + " bytes on the wire in " + reads.size() + " reads; " + context);
        MessageDecoder decoder = new MessageDecoder(role, DecoderLimits.DEFAULT, agreed);
        List<Received> received = decode(decoder, reads, random);
        decoder.release();

        assertEquals(expected.size(), received.size(), "messages decoded; " + context);
        for (int i = 0; i < expected.size(); i++) {
            Received want = expected.get(i);
            Received got = received.get(i);
            assertEquals(want.opcode(), got.opcode(), "opcode of message " + i + "; " + context);
            if (!Arrays.equals(want.payload(), got.payload())) {
                fail("message " + i + " of " + want.payload().length + " bytes came back as " + got.payload().length
                        + " bytes, first difference at " + Arrays.mismatch(want.payload(), got.payload()) + "; "
                        + context);
            }
        }
    }

    private static int randomSize(Random random) {
        int bound = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6 -> 65;
            case 7, 8, 9, 10, 11, 12 -> 4_097;
            case 13, 14, 15, 16 -> 65_537;
            default -> 200_001;
        };
        return random.nextInt(bound);
    }

    private static byte[] randomBinary(Random random) {
        byte[] bytes = new byte[randomSize(random)];
        switch (random.nextInt(4)) {
            case 0 -> { } // zeros
            case 1 -> random.nextBytes(bytes); // incompressible
            case 2 -> { // a short pattern repeated: very compressible
                byte[] pattern = new byte[1 + random.nextInt(50)];
                random.nextBytes(pattern);
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = pattern[i % pattern.length];
                }
            }
            default -> { // runs of random bytes and of repeats
                int i = 0;
                while (i < bytes.length) {
                    int run = Math.min(bytes.length - i, 1 + random.nextInt(300));
                    if (random.nextBoolean()) {
                        byte[] chunk = new byte[run];
                        random.nextBytes(chunk);
                        System.arraycopy(chunk, 0, bytes, i, run);
                    } else {
                        Arrays.fill(bytes, i, i + run, (byte) random.nextInt(256));
                    }
                    i += run;
                }
            }
        }
        return bytes;
    }

    private static final String[] WORDS = {"Hello", "world", "κόσμε", "€", "message", "\uD83D\uDE00", "deflate",
            "WebSocket", "Привет", "日本語", " ", "\n", "switchboard"};

    private static byte[] randomText(Random random) {
        int size = randomSize(random);
        StringBuilder text = new StringBuilder();
        boolean words = random.nextBoolean();
        int bytes = 0;
        while (bytes < size) {
            String piece;
            if (words) {
                piece = WORDS[random.nextInt(WORDS.length)];
            } else {
                int codePoint = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                    case 2 -> 0xE000 + random.nextInt(0x10000 - 0xE000);
                    default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                };
                piece = Character.toString(codePoint);
            }
            text.append(piece);
            bytes += utf8(piece).length;
        }
        return utf8(text.toString());
    }

    private static List<byte[]> randomReads(Random random, byte[] wire) {
        List<byte[]> reads = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int bound = switch (random.nextInt(10)) {
                case 0, 1 -> 17;
                case 2, 3, 4, 5, 6 -> 4_097;
                default -> 70_000;
            };
            int size = Math.min(wire.length - at, 1 + random.nextInt(bound));
            reads.add(Arrays.copyOfRange(wire, at, at + size));
            at += size;
        }
        return reads;
    }

    // ---------------------------------------------------------------- RSV1 rules

    @Test
    void rsv1OnAContinuationFrameIs1002() throws ProtocolViolation {
        MessageDecoder decoder = clientDecoder(CONTEXT_TAKEOVER);
        assertEquals(List.of(), decode(decoder, hex("41 03 f2 48 cd")));
        assertEquals(ProtocolViolation.PROTOCOL_ERROR, closeCodeOf(decoder, hex("c0 04 c9 c9 07 00")));

        // also when the message itself is not compressed
        MessageDecoder plain = clientDecoder(CONTEXT_TAKEOVER);
        assertEquals(List.of(), decode(plain, hex("01 03 48 65 6c")));
        assertEquals(ProtocolViolation.PROTOCOL_ERROR, closeCodeOf(plain, hex("c0 02 6c 6f")));
    }

    @Test
    void rsv1WithoutNegotiatedDeflateIs1002FromTheFirstTwoBytes() {
        assertEquals(ProtocolViolation.PROTOCOL_ERROR,
                closeCodeOf(clientDecoder(null), hex("c1 07")), "client, text");
        assertEquals(ProtocolViolation.PROTOCOL_ERROR,
                closeCodeOf(clientDecoder(null), hex("c2 07")), "client, binary");
        assertEquals(ProtocolViolation.PROTOCOL_ERROR,
                closeCodeOf(serverDecoder(null), hex("c1 87")), "server, masked text");
        assertEquals(ProtocolViolation.PROTOCOL_ERROR,
                closeCodeOf(clientDecoder(null), hex("41 07")), "client, text without FIN");
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {Opcode.PING, Opcode.PONG, Opcode.CLOSE})
    void rsv1OnAControlFrameIs1002(int opcode) throws ProtocolViolation {
        byte[] payload = opcode == Opcode.CLOSE ? hex("03 e8") : new byte[0];
        byte[] frame = new Frame(true, true, opcode, payload).encode(false, 0);
        assertEquals(ProtocolViolation.PROTOCOL_ERROR, closeCodeOf(clientDecoder(CONTEXT_TAKEOVER), frame));
        assertEquals(ProtocolViolation.PROTOCOL_ERROR, closeCodeOf(clientDecoder(null), frame), "not negotiated");

        // between the fragments of a compressed message too
        MessageDecoder decoder = clientDecoder(CONTEXT_TAKEOVER);
        assertEquals(List.of(), decode(decoder, hex("41 03 f2 48 cd")));
        assertEquals(ProtocolViolation.PROTOCOL_ERROR, closeCodeOf(decoder, frame));

        // whereas the same frame without RSV1 is fine there
        MessageDecoder fine = clientDecoder(CONTEXT_TAKEOVER);
        byte[] plain = new Frame(true, false, opcode, payload).encode(false, 0);
        List<Received> received = decode(fine, hex("41 03 f2 48 cd"), plain, hex("80 04 c9 c9 07 00"));
        assertEquals(List.of("opcode " + opcode + ":", "text:Hello"), texts(received));
    }

    // ---------------------------------------------------------------- limits and bombs

    /** 64 MiB of zeros, deflated as one message without ever holding 64 MiB. */
    private static byte[] deflatedZeros(long size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[64 * 1024];
        byte[] buffer = new byte[64 * 1024];
        try {
            for (long left = size; left > 0; left -= zeros.length) {
                deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
                }
            }
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
        } finally {
            deflater.end();
        }
        byte[] deflated = out.toByteArray();
        int length = deflated.length;
        assertEquals("0000ffff", hex(Arrays.copyOfRange(deflated, length - 4, length)), "sync flush tail");
        return Arrays.copyOf(deflated, length - 4); // stripped, as RFC 7692 §7.2.1 says
    }

    private static long inflatedSize(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(payload);
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = inflater.inflate(buffer)) > 0; ) {
                total += n;
            }
            return total;
        } finally {
            inflater.end();
        }
    }

    @Test
    void decompressionBombIsRefusedWith1009BeforeMostOfItIsRead() throws DataFormatException {
        long size = 64L << 20;
        byte[] payload = deflatedZeros(size);
        assertEquals(size, inflatedSize(payload), "the bomb really is 64 MiB");
        assertTrue(payload.length > 60_000 && payload.length < 80_000, "compressed to " + payload.length + " bytes");
        assertTrue(payload.length < DecoderLimits.DEFAULT.maxFrameSize(), "the frame itself is within the limit");

        byte[] wire = new Frame(true, true, Opcode.BINARY, payload).encode(true, MASK_KEY);
        MessageDecoder decoder = serverDecoder(CONTEXT_TAKEOVER);
        int fed = 0;
        try {
            while (fed < wire.length) {
                int size4k = Math.min(4096, wire.length - fed);
                ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(wire, fed, fed + size4k));
                fed += size4k;
                while (decoder.decode(in) != MessageDecoder.NEED_MORE) {
                    fail("the bomb was delivered as a message");
                }
            }
            fail("the whole bomb (" + wire.length + " bytes) was read without a violation");
        } catch (ProtocolViolation violation) {
            assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, violation.closeCode(), violation.getMessage());
        } finally {
            decoder.release();
        }
        // 4 KiB of this payload inflates to about 4 MiB: the first read already passes 1 MiB
        assertEquals(4096, fed, "bytes fed before the refusal, of " + wire.length);
    }

    enum Content { ZEROS, RANDOM, TEXT }

    static Stream<Arguments> limitsAndContents() {
        List<Arguments> arguments = new ArrayList<>();
        for (int limit : new int[] {1, 125, 8_192, 65_536, 100_000}) {
            for (Content content : Content.values()) {
                arguments.add(Arguments.of(limit, content));
            }
        }
        return arguments.stream();
    }

    private static byte[] content(Content content, int size, Random random) {
        byte[] bytes = new byte[size];
        switch (content) {
            case ZEROS -> { }
            case RANDOM -> random.nextBytes(bytes);
            case TEXT -> {
                for (int i = 0; i < size; i++) {
                    bytes[i] = (byte) (random.nextInt(5) == 0 ? ' ' : 'a' + random.nextInt(26));
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest(name = "limit {0}, {1}")
    @MethodSource("limitsAndContents")
    void messageInflatingToExactlyTheLimitPassesAndOneByteMoreIs1009(int limit, Content content)
            throws ProtocolViolation {
        Random random = new Random(SEED + limit + content.ordinal());
        int opcode = content == Content.TEXT ? Opcode.TEXT : Opcode.BINARY;
        DecoderLimits limits = new DecoderLimits(1 << 22, limit, 16);
        byte[] exact = content(content, limit, random);
        byte[] over = content(content, limit + 1, random);
        // a second message repeating the start of the first: with context takeover, back-references
        byte[] again = Arrays.copyOf(exact, Math.min(limit, 100));

        MessageDeflater deflater = new MessageDeflater(false, -1);
        byte[] exactPayload = deflate(deflater, exact);
        byte[] againPayload = deflate(deflater, again);
        deflater.release();
        MessageDeflater fresh = new MessageDeflater(true, -1);
        byte[] overPayload = deflate(fresh, over);
        fresh.release();

        // exactly the limit, then a message that may rely on the context kept after it
        byte[] wire = concat(List.of(new Frame(true, true, opcode, exactPayload).encode(false, 0),
                new Frame(true, true, opcode, againPayload).encode(false, 0)));
        for (List<byte[]> reads : List.of(List.of(wire), randomReads(random, wire), byteByByteIfSmall(wire))) {
            MessageDecoder decoder = new MessageDecoder(Role.CLIENT, limits, CONTEXT_TAKEOVER);
            List<Received> received = decode(decoder, reads, null);
            assertEquals(2, received.size(), reads.size() + " reads");
            assertEquals(opcode, received.get(0).opcode());
            assertArrayEquals(exact, received.get(0).payload(), "the message at the limit, " + reads.size() + " reads");
            assertEquals(opcode, received.get(1).opcode());
            assertArrayEquals(again, received.get(1).payload(), "the message after it, " + reads.size() + " reads");
        }

        // one byte more, in one frame and in three fragments
        byte[] overWire = new Frame(true, true, opcode, overPayload).encode(false, 0);
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG,
                closeCodeOf(new MessageDecoder(Role.CLIENT, limits, CONTEXT_TAKEOVER), overWire));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG,
                closeCodeOf(new MessageDecoder(Role.CLIENT, limits, CONTEXT_TAKEOVER), randomReads(random, overWire)));
        int third = overPayload.length / 3;
        byte[] fragmented = concat(List.of(
                new Frame(false, true, opcode, Arrays.copyOfRange(overPayload, 0, third)).encode(false, 0),
                new Frame(false, false, Opcode.CONTINUATION, Arrays.copyOfRange(overPayload, third, 2 * third)).encode(false, 0),
                new Frame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(overPayload, 2 * third, overPayload.length))
                        .encode(false, 0)));
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG,
                closeCodeOf(new MessageDecoder(Role.CLIENT, limits, CONTEXT_TAKEOVER), fragmented));
    }

    private static List<byte[]> byteByByteIfSmall(byte[] wire) {
        return wire.length <= 20_000 ? byteByByte(wire) : List.of(wire);
    }

    @Test
    void defaultLimitAdmitsOneMebibyteOfInflatedDataAndNotOneByteMore() throws ProtocolViolation {
        int limit = DecoderLimits.DEFAULT.maxMessageSize();
        assertEquals(1 << 20, limit);
        byte[] exact = new byte[limit];
        Arrays.fill(exact, (byte) 'a');
        byte[] payload = deflate(new MessageDeflater(true, -1), exact);
        List<Received> received = decode(clientDecoder(CONTEXT_TAKEOVER),
                new Frame(true, true, Opcode.TEXT, payload).encode(false, 0));
        assertEquals(1, received.size());
        assertArrayEquals(exact, received.get(0).payload());

        byte[] over = Arrays.copyOf(exact, limit + 1);
        over[limit] = 'a';
        byte[] overPayload = deflate(new MessageDeflater(true, -1), over);
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, closeCodeOf(clientDecoder(CONTEXT_TAKEOVER),
                new Frame(true, true, Opcode.TEXT, overPayload).encode(false, 0)));
    }

    // ---------------------------------------------------------------- invalid compressed data

    static Stream<Arguments> invalidDeflateData() throws DataFormatException {
        // a stream that refers back into a preset dictionary the receiver does not have
        Deflater withDictionary = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] dictionary = utf8("a dictionary the receiver never saw, a dictionary");
        withDictionary.setDictionary(dictionary);
        withDictionary.setInput(dictionary);
        byte[] buffer = new byte[200];
        int n = withDictionary.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        withDictionary.end();
        byte[] tooFarBack = Arrays.copyOf(buffer, n - 4);
        assertTrue(tooFarBack.length < dictionary.length / 2, "the data is back-references");
        return Stream.of(
                Arguments.of("reserved block type", hex("ff ff ff ff")),
                Arguments.of("stored block whose LEN and NLEN disagree", hex("00 05 00 00 00 48 65 6c 6c 6f")),
                Arguments.of("distance too far back", tooFarBack));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDeflateData")
    void invalidDeflateDataIs1007(String name, byte[] payload) {
        for (int opcode : new int[] {Opcode.TEXT, Opcode.BINARY}) {
            byte[] frame = new Frame(true, true, opcode, payload).encode(false, 0);
            assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(clientDecoder(CONTEXT_TAKEOVER), frame),
                    "opcode " + opcode);
            assertEquals(ProtocolViolation.INVALID_PAYLOAD,
                    closeCodeOf(clientDecoder(CONTEXT_TAKEOVER), byteByByte(frame)), "opcode " + opcode + ", byte by byte");
            byte[] masked = new Frame(true, true, opcode, payload).encode(true, MASK_KEY);
            assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(serverDecoder(CONTEXT_TAKEOVER), masked),
                    "opcode " + opcode + ", masked");
        }
    }

    @Test
    void invalidDataAfterAValidMessageIs1007() throws ProtocolViolation {
        MessageDecoder decoder = clientDecoder(CONTEXT_TAKEOVER);
        assertEquals(List.of("text:Hello"), texts(decode(decoder, hex("c1 07 f2 48 cd c9 c9 07 00"))));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(decoder, hex("c1 04 ff ff ff ff")));
    }

    static Stream<Arguments> invalidTextAfterInflation() {
        return Stream.of(
                Arguments.of("overlong C0 80", hex("61 C0 80 62")),
                Arguments.of("surrogate ED A0 80", hex("61 62 ED A0 80")),
                Arguments.of("lone continuation", hex("80")),
                Arguments.of("ends inside a 3-byte sequence", hex("61 62 E2 82")),
                Arguments.of("ends inside a 4-byte sequence", hex("F0 9F 98")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTextAfterInflation")
    void textThatIsNotUtf8AfterInflationIs1007AndTheSameBytesAsBinaryPass(String name, byte[] message)
            throws ProtocolViolation {
        byte[] payload = deflate(new MessageDeflater(true, -1), message);

        byte[] text = new Frame(true, true, Opcode.TEXT, payload).encode(false, 0);
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(clientDecoder(CONTEXT_TAKEOVER), text));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(clientDecoder(CONTEXT_TAKEOVER), byteByByte(text)),
                "byte by byte");
        byte[] fragmented = concat(List.of(
                new Frame(false, true, Opcode.TEXT, Arrays.copyOf(payload, 1)).encode(true, MASK_KEY),
                new Frame(true, false, Opcode.CONTINUATION, Arrays.copyOfRange(payload, 1, payload.length))
                        .encode(true, MASK_KEY)));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, closeCodeOf(serverDecoder(CONTEXT_TAKEOVER), fragmented),
                "fragmented, masked");

        List<Received> binary = decode(clientDecoder(CONTEXT_TAKEOVER),
                new Frame(true, true, Opcode.BINARY, payload).encode(false, 0));
        assertEquals(1, binary.size());
        assertArrayEquals(message, binary.get(0).payload());
    }

    @Test
    void invalidUtf8EarlyInALargeCompressedTextFailsBeforeTheFrameIsRead() {
        Random random = new Random(SEED);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(utf8("start "));
        message.writeBytes(hex("ED A0 80")); // a surrogate at byte 6
        while (message.size() < 600_000) {
            message.writeBytes(utf8(Character.toString(0x4E00 + random.nextInt(0x5000))));
        }
        byte[] payload = deflate(new MessageDeflater(true, 1), message.toByteArray());
        assertTrue(payload.length > 200_000, "compressed to " + payload.length);
        byte[] wire = new Frame(true, true, Opcode.TEXT, payload).encode(true, MASK_KEY);

        MessageDecoder decoder = serverDecoder(CONTEXT_TAKEOVER);
        int fed = 0;
        try {
            while (fed < wire.length) {
                int size = Math.min(4096, wire.length - fed);
                ByteBuffer in = ByteBuffer.wrap(Arrays.copyOfRange(wire, fed, fed + size));
                fed += size;
                assertEquals(MessageDecoder.NEED_MORE, decoder.decode(in));
            }
            fail("an invalid text message was read whole without a violation");
        } catch (ProtocolViolation violation) {
            assertEquals(ProtocolViolation.INVALID_PAYLOAD, violation.closeCode());
        }
        assertTrue(fed <= 4 * 4096, "failed after " + fed + " of " + wire.length + " bytes");
    }

    /** RFC 7692 §7.2.3.4: a message may end its deflate stream; the next one starts a new stream. */
    @Test
    void aMessageEndingInAFinalBlockIsFollowedByAnotherWithContextTakeover() throws ProtocolViolation {
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false));
        byte[] wire = Feed.concat(
                Feed.frame(true, true, Opcode.TEXT, Feed.hex("f348cdc9c90700"), true, 0x11223344),
                Feed.frame(true, true, Opcode.TEXT, Feed.hex("f248cdc9c90700"), true, 0x11223344));
        assertEquals(List.of("text:Hello", "text:Hello"), Feed.decode(decoder, wire));
    }
}

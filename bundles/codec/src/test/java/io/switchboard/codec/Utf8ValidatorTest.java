package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Utf8Validator} on its own (RFC 3629 vectors, splits, the eight-byte ASCII path, a
 * randomized cross-check against the JDK's strict decoder) and through {@link MessageDecoder}
 * (fail-fast 1007 before the rest of a frame or message arrives).
 */
class Utf8ValidatorTest {
    private static final long SEED = Long.getLong("switchboard.seed", System.nanoTime());
    private static final int MASK_KEY = 0x37FA213D;
    /** "κόσμε", the Greek word Autobahn's 6.x cases are built around. */
    private static final String KOSME = "\u03BA\u1F79\u03C3\u03BC\u03B5";

    // ---------------------------------------------------------------- helpers

    /** The kinds of buffer a connection may read into; the validator must not care which. */
    enum BufferKind {
        HEAP_BIG_ENDIAN, HEAP_LITTLE_ENDIAN, DIRECT_BIG_ENDIAN, DIRECT_LITTLE_ENDIAN, READ_ONLY_HEAP;

        ByteBuffer of(byte[] bytes) {
            ByteBuffer buffer = switch (this) {
                case HEAP_BIG_ENDIAN, READ_ONLY_HEAP -> ByteBuffer.allocate(bytes.length);
                case HEAP_LITTLE_ENDIAN -> ByteBuffer.allocate(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
                case DIRECT_BIG_ENDIAN -> ByteBuffer.allocateDirect(bytes.length);
                case DIRECT_LITTLE_ENDIAN -> ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN);
            };
            buffer.put(bytes).flip();
            return this == READ_ONLY_HEAP ? buffer.asReadOnlyBuffer() : buffer;
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /** Validates the whole array with a fresh validator; returns the index or -1. */
    private static int firstInvalid(byte[] bytes) {
        return new Utf8Validator().validate(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    private static boolean validAndComplete(byte[] bytes) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(ByteBuffer.wrap(bytes), 0, bytes.length) == -1 && validator.isComplete();
    }

    private static CharsetDecoder strictJdkDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static boolean jdkAccepts(CharsetDecoder decoder, byte[] bytes, int length) {
        try {
            decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Byte strings that complete any open UTF-8 sequence: every range a next byte may be
     * restricted to (80–BF, A0–BF after E0, 80–9F after ED, 90–BF after F0, 80–8F after F4)
     * contains one of these first bytes.
     */
    private static final byte[][] COMPLETIONS;

    static {
        int[] firsts = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};
        COMPLETIONS = new byte[1 + 3 * firsts.length][];
        COMPLETIONS[0] = new byte[0];
        int n = 1;
        for (int length = 1; length <= 3; length++) {
            for (int first : firsts) {
                byte[] completion = new byte[length];
                Arrays.fill(completion, (byte) 0x80);
                completion[0] = (byte) first;
                COMPLETIONS[n++] = completion;
            }
        }
    }

    /** Whether the JDK accepts some completion of {@code bytes[0, length)}: a valid prefix. */
    private static boolean jdkPrefixOk(CharsetDecoder decoder, byte[] bytes, int length) {
        byte[] candidate = Arrays.copyOf(bytes, length + 3);
        for (byte[] completion : COMPLETIONS) {
            System.arraycopy(completion, 0, candidate, length, completion.length);
            if (jdkAccepts(decoder, candidate, length + completion.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reference answer, from the JDK alone: the index of the first byte that no valid UTF-8
     * text can have there (the shortest prefix no completion makes valid, minus one), or -1.
     */
    private static int jdkFirstInvalid(CharsetDecoder decoder, byte[] bytes) {
        if (jdkPrefixOk(decoder, bytes, bytes.length)) {
            return -1;
        }
        int good = 0; // prefix of this length is completable
        int bad = bytes.length; // prefix of this length is not
        while (bad - good > 1) {
            int middle = (good + bad) >>> 1;
            if (jdkPrefixOk(decoder, bytes, middle)) {
                good = middle;
            } else {
                bad = middle;
            }
        }
        return bad - 1;
    }

    // ---------------------------------------------------------------- valid sequences

    @ParameterizedTest(name = "U+{0} = {1}")
    @CsvSource({
        "0000,   00",
        "007F,   7F",
        "0080,   C2 80",
        "07FF,   DF BF",
        "0800,   E0 A0 80",
        "D7FF,   ED 9F BF",
        "E000,   EE 80 80",
        "FFFD,   EF BF BD",
        "FFFF,   EF BF BF",
        "10000,  F0 90 80 80",
        "1F600,  F0 9F 98 80",
        "10FFFF, F4 8F BF BF",
    })
    void boundaryCodePointsAreValidAndComplete(String codePoint, String encoding) {
        byte[] bytes = hex(encoding);
        // the vector itself is the JDK's encoding of the code point
        assertArrayEquals(utf8(Character.toString(Integer.parseInt(codePoint, 16))), bytes);

        assertTrue(validAndComplete(bytes), "alone");
        // before and after an ASCII run long enough for the eight-byte path
        assertTrue(validAndComplete(concat(ascii(9), bytes)), "after 9 ASCII bytes");
        assertTrue(validAndComplete(concat(bytes, ascii(17))), "before 17 ASCII bytes");
        assertTrue(validAndComplete(concat(ascii(8), bytes, ascii(8), bytes, ascii(3))), "between ASCII runs");
    }

    @Test
    void emptyRangeIsValidAndComplete() {
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.validate(ByteBuffer.wrap(hex("C0 80")), 1, 1));
        assertTrue(validator.isComplete());
        assertEquals(-1, validator.validate(ByteBuffer.allocate(0)));
        assertTrue(validator.isComplete());
    }

    // ---------------------------------------------------------------- invalid sequences

    @ParameterizedTest(name = "{0} -> index {1} ({2})")
    @CsvSource(delimiter = '|', value = {
        // overlong forms: C0/C1 can never start a sequence; E0/F0 fail at the second byte
        "C0 80                | 0 | overlong U+0000",
        "C1 BF                | 0 | overlong U+007F",
        "E0 80 80             | 1 | overlong U+0000 in 3 bytes",
        "E0 9F BF             | 1 | overlong U+07FF in 3 bytes",
        "F0 80 80 80          | 1 | overlong U+0000 in 4 bytes",
        "F0 8F BF BF          | 1 | overlong U+FFFF in 4 bytes",
        // UTF-16 surrogates
        "ED A0 80             | 1 | U+D800",
        "ED AD BF             | 1 | U+DB7F",
        "ED B0 80             | 1 | U+DC00",
        "ED BF BF             | 1 | U+DFFF",
        "ED A0 BD ED B8 80    | 1 | CESU-8 pair for U+1F600",
        // above U+10FFFF
        "F4 90 80 80          | 1 | U+110000",
        "F4 BF BF BF          | 1 | U+13FFFF",
        "F5 80 80 80          | 0 | lead F5",
        "F7 BF BF BF          | 0 | lead F7",
        "F8 88 80 80 80       | 0 | 5-byte form",
        "FC 84 80 80 80 80    | 0 | 6-byte form",
        "FE                   | 0 | FE",
        "FF                   | 0 | FF",
        // lone and surplus continuation bytes
        "80                   | 0 | lone 80",
        "BF                   | 0 | lone BF",
        "41 80                | 1 | continuation after ASCII",
        "C3 A9 80             | 2 | continuation after a complete 2-byte sequence",
        "E2 82 AC BF          | 3 | continuation after a complete 3-byte sequence",
        "F0 9F 98 80 80       | 4 | continuation after a complete 4-byte sequence",
        // a sequence cut short by something that is not a continuation byte
        "C3 41                | 1 | 2-byte lead then ASCII",
        "E2 41                | 1 | 3-byte lead then ASCII",
        "E2 82 41             | 2 | 3-byte sequence cut after 2",
        "F0 9F 98 41          | 3 | 4-byte sequence cut after 3",
        "C3 C3 A9             | 1 | lead byte where a continuation is due",
        "E2 82 E2 82 AC       | 2 | new lead inside a 3-byte sequence",
        // the narrowed range applies to the second byte only
        "E0 A0 7F             | 2 | E0 A0 then ASCII",
        "ED 9F C0             | 2 | ED 9F then C0",
        "F4 8F C0 80          | 2 | F4 8F then C0",
        // past an ASCII run handled eight bytes at a time
        "61 62 63 64 65 66 67 68 69 C0 80               | 9  | C0 after 9 ASCII bytes",
        "61 62 63 64 65 66 67 68 61 62 63 64 65 66 67 68 ED A0 80 | 17 | surrogate after 16 ASCII bytes",
        "61 62 63 64 65 66 67 68 C3 A9 61 62 63 64 65 66 67 68 FF | 18 | FF after a run, a 2-byte char and a run",
    })
    void invalidSequenceIsReportedAtItsFirstImpossibleByte(String input, int index, String description) {
        byte[] bytes = hex(input);
        assertEquals(index, firstInvalid(bytes), description);
        // everything before that byte is a valid beginning
        Utf8Validator prefix = new Utf8Validator();
        assertEquals(-1, prefix.validate(ByteBuffer.wrap(bytes), 0, index), description + ": prefix");
        // and the JDK agrees that the text is malformed
        assertFalse(jdkAccepts(strictJdkDecoder(), bytes, bytes.length), description + ": JDK");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BufferKind.class)
    void everyLeadByteFromF5ToFFIsRejectedWhereItStands(BufferKind kind) {
        for (int lead = 0xF5; lead <= 0xFF; lead++) {
            byte[] alone = {(byte) lead};
            assertEquals(0, new Utf8Validator().validate(kind.of(alone), 0, 1), "lead " + Integer.toHexString(lead));
            byte[] afterText = concat(utf8("ab\u00E9"), alone, hex("80 80 80"));
            assertEquals(4, new Utf8Validator().validate(kind.of(afterText), 0, afterText.length),
                    "lead " + Integer.toHexString(lead) + " after text");
        }
    }

    @Test
    void everyContinuationByteAloneIsInvalidAtIndexZero() {
        for (int b = 0x80; b <= 0xBF; b++) {
            assertEquals(0, firstInvalid(new byte[] {(byte) b}), Integer.toHexString(b));
        }
    }

    @Test
    void everySingleByteValueIsClassifiedExactly() {
        for (int b = 0; b <= 0xFF; b++) {
            Utf8Validator validator = new Utf8Validator();
            int result = validator.validate(ByteBuffer.wrap(new byte[] {(byte) b}), 0, 1);
            if (b < 0x80) {
                assertEquals(-1, result, "ASCII " + b);
                assertTrue(validator.isComplete(), "ASCII " + b);
            } else if (b >= 0xC2 && b <= 0xF4) {
                assertEquals(-1, result, "lead " + Integer.toHexString(b));
                assertFalse(validator.isComplete(), "lead " + Integer.toHexString(b) + " opens a sequence");
            } else {
                assertEquals(0, result, "never valid: " + Integer.toHexString(b));
            }
        }
    }

    // ---------------------------------------------------------------- truncation and reset

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "C3,       A9",
        "DF,       BF",
        "E2,       82 AC",
        "E2 82,    AC",
        "E0,       A0 80",
        "ED 9F,    BF",
        "EF BF,    BF",
        "F0,       90 80 80",
        "F0 9F,    98 80",
        "F0 9F 98, 80",
        "F4 8F BF, BF",
    })
    void truncatedSequenceIsValidSoFarButIncompleteUntilFinished(String start, String rest) {
        byte[] bytes = concat(hex(start), hex(rest));
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int cut = hex(start).length;
        Utf8Validator validator = new Utf8Validator();

        assertEquals(-1, validator.validate(buffer, 0, cut));
        assertFalse(validator.isComplete(), "a sequence is open");

        assertEquals(-1, validator.validate(buffer, cut, bytes.length));
        assertTrue(validator.isComplete(), "the sequence is finished");
    }

    @Test
    void validateWithoutRangeUsesPositionAndLimitAndReportsAbsoluteIndex() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("C0 41 42 43 ED A0 80 44"));
        buffer.position(1).limit(4);
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.validate(buffer), "C0 before the position and ED A0 after the limit are not read");
        assertTrue(validator.isComplete());
        assertEquals(1, buffer.position(), "position untouched");

        buffer.limit(8);
        assertEquals(5, new Utf8Validator().validate(buffer), "index counted from the buffer's start, not its position");
    }

    @Test
    void resetForgetsAnOpenSequence() {
        Utf8Validator validator = new Utf8Validator();
        ByteBuffer open = ByteBuffer.wrap(hex("E2 82"));
        ByteBuffer ascii = ByteBuffer.wrap(utf8("A"));

        assertEquals(-1, validator.validate(open, 0, 2));
        assertFalse(validator.isComplete());
        assertEquals(0, validator.validate(ascii, 0, 1), "without reset, 'A' cannot continue E2 82");

        validator.reset();
        assertTrue(validator.isComplete());
        assertEquals(-1, validator.validate(ascii, 0, 1));
        assertTrue(validator.isComplete());
    }

    @ParameterizedTest(name = "after {0}, {1} is valid")
    @CsvSource({
        "E0, C3 80", // E0 narrows the next byte to A0–BF
        "ED, C3 BF", // ED narrows it to 80–9F
        "F0, C3 80", // F0: 90–BF
        "F4, C3 BF", // F4: 80–8F
    })
    void resetForgetsTheNarrowedRangeOfTheNextByte(String lead, String next) {
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.validate(ByteBuffer.wrap(hex(lead)), 0, 1));
        validator.reset();
        byte[] bytes = hex(next);
        assertEquals(-1, validator.validate(ByteBuffer.wrap(bytes), 0, bytes.length));
        assertTrue(validator.isComplete());
    }

    @Test
    void afterACompleteSequenceTheFullContinuationRangeIsBack() {
        // E0 narrows only its own second byte: a later C3 must accept 80 and E2 must accept BF
        assertTrue(validAndComplete(hex("E0 A0 80 C3 80 ED 9F BF E2 BF BF F4 8F BF BF F0 BF BF BF")));
    }

    // ---------------------------------------------------------------- splits across calls

    @Test
    void everyValidMultiByteSequenceSplitAtEveryPositionAcrossTwoAndThreeCallsStaysValid() {
        ByteBuffer buffer = ByteBuffer.allocate(4);
        Utf8Validator validator = new Utf8Validator();
        int checked = 0;
        for (int codePoint = 0x80; codePoint <= 0x10FFFF; codePoint++) {
            if (codePoint == 0xD800) {
                codePoint = 0xE000; // surrogates are not scalar values
            }
            byte[] bytes = utf8(Character.toString(codePoint));
            int n = bytes.length;
            buffer.clear();
            buffer.put(bytes).flip();
            for (int i = 1; i < n; i++) {
                validator.reset();
                if (validator.validate(buffer, 0, i) != -1 || validator.isComplete()
                        || validator.validate(buffer, i, n) != -1 || !validator.isComplete()) {
                    fail("U+" + Integer.toHexString(codePoint) + " split at " + i);
                }
                for (int j = i + 1; j < n; j++) {
                    validator.reset();
                    if (validator.validate(buffer, 0, i) != -1 || validator.validate(buffer, i, j) != -1
                            || validator.isComplete()
                            || validator.validate(buffer, j, n) != -1 || !validator.isComplete()) {
                        fail("U+" + Integer.toHexString(codePoint) + " split at " + i + " and " + j);
                    }
                }
            }
            checked++;
        }
        assertEquals(0x10FFFF + 1 - 0x80 - 0x800, checked, "every scalar value from U+0080 up");
    }

    @Test
    void mixedTextSplitAtEveryPairOfPositionsStaysValidAndCompleteOnlyAtCharacterBoundaries() {
        byte[] bytes = utf8("a\u0080\u07FF\u0800\uD7FF\uE000\uFFFF\uD800\uDC00\uDBFF\uDFFF" + KOSME + "z");
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int n = bytes.length;
        for (int i = 0; i <= n; i++) {
            for (int j = i; j <= n; j++) {
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.validate(buffer, 0, i));
                assertEquals(boundary(bytes, i), validator.isComplete(), "complete after " + i);
                assertEquals(-1, validator.validate(buffer, i, j));
                assertEquals(boundary(bytes, j), validator.isComplete(), "complete after " + j);
                assertEquals(-1, validator.validate(buffer, j, n));
                assertTrue(validator.isComplete(), i + ", " + j);
            }
        }
    }

    private static boolean boundary(byte[] bytes, int index) {
        return index == 0 || index == bytes.length || (bytes[index] & 0xC0) != 0x80;
    }

    @ParameterizedTest(name = "{0} | {1} -> {2}")
    @CsvSource({
        "E2 82,       41,       2", // open sequence, then ASCII
        "61 62 E2,    82 C0,    4", // second piece finishes nothing
        "E0,          9F BF,    1", // the E0 restriction carries across the call boundary
        "ED,          A0 80,    1", // so does ED's (surrogates)
        "F0,          8F BF BF, 1", // and F0's
        "F4,          90 80 80, 1", // and F4's
        "F0 9F 98,    41,       3", // cut after three of four
        "C3 A9,       80,       2", // nothing is open: a continuation byte is invalid
        "61 62 63 64 65 66 67 68, 69 6A 6B 6C 6D 6E 6F 70 71 FF, 17", // past ASCII runs in both
    })
    void invalidByteInTheSecondPieceIsReportedAtItsIndex(String first, String second, int index) {
        byte[] one = hex(first);
        byte[] bytes = concat(one, hex(second));
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.validate(buffer, 0, one.length));
        assertEquals(index, validator.validate(buffer, one.length, bytes.length));
    }

    // ---------------------------------------------------------------- the eight-byte ASCII path

    @ParameterizedTest(name = "{0}")
    @EnumSource(BufferKind.class)
    void invalidByteAtEveryPositionOfAnAsciiBufferIsReportedAtThatIndex(BufferKind kind) {
        int[] invalid = {0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xFF};
        for (int length = 1; length <= 21; length++) {
            for (int at = 0; at < length; at++) {
                for (int bad : invalid) {
                    byte[] bytes = ascii(length);
                    bytes[at] = (byte) bad;
                    ByteBuffer buffer = kind.of(bytes);
                    assertEquals(at, new Utf8Validator().validate(buffer, 0, length),
                            "length " + length + ", " + Integer.toHexString(bad) + " at " + at);
                    for (int from = 1; from <= at; from++) {
                        assertEquals(at, new Utf8Validator().validate(buffer, from, length),
                                "from " + from + ", length " + length + ", " + Integer.toHexString(bad) + " at " + at);
                    }
                    // the bad byte just past the range is not read, even by an eight-byte load
                    Utf8Validator before = new Utf8Validator();
                    assertEquals(-1, before.validate(buffer, 0, at), "range ends before " + at);
                    assertTrue(before.isComplete());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BufferKind.class)
    void asciiOfEveryLengthAndOffsetIsValid(BufferKind kind) {
        for (int length = 0; length <= 40; length++) {
            ByteBuffer buffer = kind.of(ascii(length));
            for (int from = 0; from <= length; from++) {
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.validate(buffer, from, length), "length " + length + " from " + from);
                assertTrue(validator.isComplete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BufferKind.class)
    void multiByteCharacterAtEveryPositionOfAnAsciiBufferIsValid(BufferKind kind) {
        byte[][] characters = {utf8("\u00E9"), utf8("\u20AC"), utf8("\uD83D\uDE00")};
        for (byte[] character : characters) {
            for (int at = 0; at <= 20; at++) {
                byte[] bytes = concat(ascii(at), character, ascii(20 - at));
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.validate(kind.of(bytes), 0, bytes.length), "at " + at);
                assertTrue(validator.isComplete());
                // and cut short by the end of the range, it is open
                Utf8Validator cut = new Utf8Validator();
                assertEquals(-1, cut.validate(kind.of(bytes), 0, at + 1), "cut at " + (at + 1));
                assertFalse(cut.isComplete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BufferKind.class)
    void everyBufferKindGivesTheSameAnswersAsAHeapBuffer(BufferKind kind) {
        Random random = new Random(SEED ^ kind.ordinal());
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = randomSample(random);
            Utf8Validator heap = new Utf8Validator();
            Utf8Validator other = new Utf8Validator();
            int expected = heap.validate(ByteBuffer.wrap(bytes), 0, bytes.length);
            assertEquals(expected, other.validate(kind.of(bytes), 0, bytes.length),
                    HexFormat.of().formatHex(bytes) + ", seed " + SEED);
            assertEquals(heap.isComplete(), other.isComplete(), HexFormat.of().formatHex(bytes) + ", seed " + SEED);
        }
    }

    // ---------------------------------------------------------------- cross-check with the JDK

    @Test
    void theJdkDecoderUsedAsReferenceIsStrict() {
        CharsetDecoder jdk = strictJdkDecoder();
        for (String malformed : new String[] {"C0 80", "E0 9F BF", "F0 8F BF BF", "ED A0 80", "ED BF BF",
                "F4 90 80 80", "F5 80 80 80", "E2 82", "80"}) {
            byte[] bytes = hex(malformed);
            assertFalse(jdkAccepts(jdk, bytes, bytes.length), malformed);
        }
        byte[] fine = hex("00 7F C2 80 DF BF E0 A0 80 ED 9F BF EE 80 80 EF BF BF F0 90 80 80 F4 8F BF BF");
        assertTrue(jdkAccepts(jdk, fine, fine.length));
        assertEquals(4, jdkFirstInvalid(jdk, hex("61 62 E0 A0 41")), "the reference finds the ASCII byte");
        assertEquals(1, jdkFirstInvalid(jdk, hex("ED A0 80")), "and the surrogate's second byte");
        assertEquals(-1, jdkFirstInvalid(jdk, hex("61 F0 9F")), "a truncated text has no invalid byte");
    }

    @Test
    void randomBytesAgreeWithTheJdkDecoderOnValidityAndOnTheIndexOfTheFirstInvalidByte() {
        System.out.println("Utf8ValidatorTest seed " + SEED + " (rerun with -Dswitchboard.seed=" + SEED + ")");
        Random random = new Random(SEED);
        CharsetDecoder jdk = strictJdkDecoder();
        int valid = 0;
        int invalid = 0;
        int truncated = 0;
        int samples = 20_000;
        for (int round = 0; round < samples; round++) {
            byte[] bytes = randomSample(random);
            String context = "round " + round + ", bytes " + HexFormat.of().formatHex(bytes) + ", seed " + SEED;

            Utf8Validator validator = new Utf8Validator();
            int index = validator.validate(ByteBuffer.wrap(bytes), 0, bytes.length);
            boolean ours = index == -1 && validator.isComplete();
            boolean theirs = jdkAccepts(jdk, bytes, bytes.length);
            assertEquals(theirs, ours, "validity, " + context);
            assertEquals(jdkFirstInvalid(jdk, bytes), index, "first invalid index, " + context);

            // the same answer when the bytes come in two pieces
            int cut = random.nextInt(bytes.length + 1);
            Utf8Validator split = new Utf8Validator();
            int first = split.validate(ByteBuffer.wrap(bytes), 0, cut);
            int answer = first >= 0 ? first : split.validate(ByteBuffer.wrap(bytes), cut, bytes.length);
            assertEquals(index, answer, "cut at " + cut + ", " + context);
            if (index == -1) {
                assertEquals(validator.isComplete(), split.isComplete(), "cut at " + cut + ", " + context);
            }

            if (ours) {
                valid++;
            } else if (index == -1) {
                truncated++;
            } else {
                invalid++;
            }
        }
        System.out.println("Utf8ValidatorTest cross-check: " + valid + " valid, " + invalid + " invalid, "
                + truncated + " truncated of " + samples);
        // the generator must exercise all three outcomes, or the comparison proves little
        assertTrue(valid > samples / 10, "valid samples: " + valid);
        assertTrue(invalid > samples / 10, "invalid samples: " + invalid);
        assertTrue(truncated > samples / 100, "truncated samples: " + truncated);
    }

    /** Up to ~80 bytes mixing ASCII runs, well-formed characters, tricky bytes and random bytes. */
    private static byte[] randomSample(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(8);
        boolean clean = random.nextInt(3) == 0; // a third of the samples hold only well-formed pieces
        for (int p = 0; p < pieces; p++) {
            int kind = clean ? random.nextInt(3) : random.nextInt(7);
            switch (kind) {
                case 0 -> out.writeBytes(ascii(random.nextInt(20)));
                case 1, 2 -> out.writeBytes(utf8(Character.toString(randomScalar(random))));
                case 3 -> out.write(random.nextInt(256));
                case 4 -> out.write(new int[] {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4,
                        0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90}[random.nextInt(17)]);
                case 5 -> { // a character cut short
                    byte[] bytes = utf8(Character.toString(randomScalar(random)));
                    out.write(bytes, 0, bytes.length == 1 ? 1 : 1 + random.nextInt(bytes.length - 1));
                }
                default -> { // a lead byte, then random bytes in the continuation range
                    out.write(0xC2 + random.nextInt(0xF5 - 0xC2));
                    for (int i = random.nextInt(4); i > 0; i--) {
                        out.write(0x80 + random.nextInt(0x40));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int randomScalar(Random random) {
        int codePoint;
        switch (random.nextInt(4)) {
            case 0 -> codePoint = 0x80 + random.nextInt(0x800 - 0x80);
            case 1 -> codePoint = 0x800 + random.nextInt(0x10000 - 0x800);
            case 2 -> codePoint = 0x10000 + random.nextInt(0x110000 - 0x10000);
            default -> codePoint = new int[] {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000,
                    0x10FFFF}[random.nextInt(10)];
        }
        return codePoint >= 0xD800 && codePoint <= 0xDFFF ? 0xFFFD : codePoint;
    }

    // ---------------------------------------------------------------- through MessageDecoder

    private static MessageDecoder serverDecoder() {
        return new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
    }

    /** One masked (client) frame. */
    private static byte[] clientFrame(boolean fin, int opcode, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.length);
        FrameWriter.writeFrame(out, fin, false, opcode, ByteBuffer.wrap(payload), true, MASK_KEY);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Decodes one read; returns the text messages' strings and control opcodes as they come. */
    private static java.util.List<String> decode(MessageDecoder decoder, byte[] read) throws ProtocolViolation {
        java.util.List<String> events = new java.util.ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(read.clone());
        for (int opcode; (opcode = decoder.decode(in)) != MessageDecoder.NEED_MORE; ) {
            ByteBuffer payload = decoder.payload();
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            events.add(opcode == Opcode.TEXT ? new String(bytes, StandardCharsets.UTF_8) : "opcode " + opcode);
        }
        assertEquals(0, in.remaining(), "NEED_MORE with bytes left");
        return events;
    }

    /**
     * Feeds {@code wire} one byte per read and returns the offset of the byte on which the decoder
     * threw, after checking the close code. Fails if no byte makes it throw.
     */
    private static int offsetOfFailure(MessageDecoder decoder, byte[] wire, int closeCode) {
        for (int i = 0; i < wire.length; i++) {
            ByteBuffer in = ByteBuffer.wrap(new byte[] {wire[i]});
            try {
                assertEquals(MessageDecoder.NEED_MORE, decoder.decode(in), "byte " + i + " completed a message");
            } catch (ProtocolViolation violation) {
                assertEquals(closeCode, violation.closeCode(), "close code at byte " + i + ": " + violation.getMessage());
                return i;
            }
        }
        return fail("no ProtocolViolation for " + HexFormat.of().formatHex(wire));
    }

    static Stream<Arguments> twentyBytePayloadsWithAnInvalidByte() {
        return Stream.of(
                Arguments.of("F5 as the first byte", new byte[0], hex("F5"), 0),
                Arguments.of("C1 after 16 ASCII bytes", utf8("abcdefghijklmnop"), hex("C1"), 16),
                Arguments.of("lone continuation after κόσμε", utf8(KOSME), hex("80"), 11),
                Arguments.of("C0 after κόσμε", utf8(KOSME), hex("C0 80"), 11),
                Arguments.of("FF after κόσμε", utf8(KOSME), hex("FF"), 11),
                Arguments.of("overlong E0 9F after κόσμε", utf8(KOSME), hex("E0 9F BF"), 12),
                Arguments.of("surrogate ED A0 after κόσμε", utf8(KOSME), hex("ED A0 80"), 12),
                Arguments.of("F4 90 (past U+10FFFF) after κόσμε", utf8(KOSME), hex("F4 90 80 80"), 12),
                Arguments.of("E2 82 cut by ASCII after κόσμε", utf8(KOSME), hex("E2 82 41"), 13));
    }

    private static byte[] twentyBytes(byte[] valid, byte[] bad) {
        byte[] payload = new byte[20];
        Arrays.fill(payload, (byte) 'x');
        byte[] start = concat(valid, bad);
        System.arraycopy(start, 0, payload, 0, start.length);
        return payload;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twentyBytePayloadsWithAnInvalidByte")
    void decoderFailsWith1007AsSoonAsTheInvalidByteArrivesBeforeTheRestOfTheFrame(
            String description, byte[] valid, byte[] bad, int badIndex) throws ProtocolViolation {
        byte[] frame = clientFrame(true, Opcode.TEXT, twentyBytes(valid, bad));
        int header = 6; // two bytes, a four-byte mask, a 7-bit length of 20
        assertEquals(header + 20, frame.length);

        // one read holding the header and the payload up to and including the invalid byte
        byte[] upToBadByte = Arrays.copyOf(frame, header + badIndex + 1);
        ProtocolViolation violation = assertThrows(ProtocolViolation.class,
                () -> serverDecoder().decode(ByteBuffer.wrap(upToBadByte)));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, violation.closeCode());

        // the bytes before it are accepted; the invalid byte alone then fails the message
        MessageDecoder decoder = serverDecoder();
        assertEquals(java.util.List.of(), decode(decoder, Arrays.copyOf(frame, header + badIndex)));
        ProtocolViolation late = assertThrows(ProtocolViolation.class,
                () -> decoder.decode(ByteBuffer.wrap(new byte[] {frame[header + badIndex]})));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, late.closeCode());

        // byte by byte, the failure is on exactly that byte
        assertEquals(header + badIndex, offsetOfFailure(serverDecoder(), frame, ProtocolViolation.INVALID_PAYLOAD));
    }

    @Test
    void invalidContinuationInTheSecondFragmentFailsWith1007WhenItArrives() throws ProtocolViolation {
        byte[] first = clientFrame(false, Opcode.TEXT, concat(utf8(KOSME), hex("E2 82"))); // ends inside €
        byte[] second = clientFrame(true, Opcode.CONTINUATION, concat(hex("41"), utf8("0123456789")));

        MessageDecoder decoder = serverDecoder();
        assertEquals(java.util.List.of(), decode(decoder, first), "the first fragment is valid so far");
        ProtocolViolation violation = assertThrows(ProtocolViolation.class, () -> decode(decoder, second));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, violation.closeCode());

        MessageDecoder byteByByte = serverDecoder();
        assertEquals(java.util.List.of(), decode(byteByByte, first));
        assertEquals(6, offsetOfFailure(byteByByte, second, ProtocolViolation.INVALID_PAYLOAD),
                "fails on the second fragment's first payload byte, before the rest arrives");
    }

    @Test
    void sequenceRestrictionCarriesAcrossFragments() throws ProtocolViolation {
        // ED then A0 in the next fragment is a surrogate even though each fragment looks fine alone
        byte[] first = clientFrame(false, Opcode.TEXT, concat(utf8("ab\u00E9"), hex("ED")));
        byte[] second = clientFrame(true, Opcode.CONTINUATION, hex("A0 80 41 42"));
        MessageDecoder decoder = serverDecoder();
        assertEquals(java.util.List.of(), decode(decoder, first));
        assertEquals(6, offsetOfFailure(decoder, second, ProtocolViolation.INVALID_PAYLOAD));
    }

    @Test
    void validTextSplitIntoTwoFragmentsAtEveryBytePositionDecodesToTheSameString() throws ProtocolViolation {
        String text = "a\u0080\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFF" + KOSME + "\u20AC\uD83D\uDE00z";
        byte[] bytes = utf8(text);
        for (int cut = 0; cut <= bytes.length; cut++) {
            byte[] first = clientFrame(false, Opcode.TEXT, Arrays.copyOfRange(bytes, 0, cut));
            byte[] second = clientFrame(true, Opcode.CONTINUATION, Arrays.copyOfRange(bytes, cut, bytes.length));

            assertEquals(java.util.List.of(text), decode(serverDecoder(), concat(first, second)), "one read, cut " + cut);

            MessageDecoder decoder = serverDecoder();
            assertEquals(java.util.List.of(), decode(decoder, first), "cut " + cut);
            assertEquals(java.util.List.of(text), decode(decoder, second), "two reads, cut " + cut);
        }
    }

    @Test
    void validTextSplitIntoThreeFragmentsAtEveryPairOfPositionsDecodesToTheSameString() throws ProtocolViolation {
        String text = "\u00E9\u20AC\uD83D\uDE00\u0800\uDBFF\uDFFFx";
        byte[] bytes = utf8(text);
        for (int i = 0; i <= bytes.length; i++) {
            for (int j = i; j <= bytes.length; j++) {
                byte[] wire = concat(
                        clientFrame(false, Opcode.TEXT, Arrays.copyOfRange(bytes, 0, i)),
                        clientFrame(false, Opcode.CONTINUATION, Arrays.copyOfRange(bytes, i, j)),
                        clientFrame(true, Opcode.CONTINUATION, Arrays.copyOfRange(bytes, j, bytes.length)));
                assertEquals(java.util.List.of(text), decode(serverDecoder(), wire), "cuts " + i + ", " + j);
            }
        }
    }

    @Test
    void pingBetweenFragmentsDoesNotDisturbAnOpenSequence() throws ProtocolViolation {
        byte[] wire = concat(
                clientFrame(false, Opcode.TEXT, hex("61 F0 9F")),
                clientFrame(true, Opcode.PING, hex("ED A0 80")), // control payloads are not text
                clientFrame(true, Opcode.CONTINUATION, hex("98 80 62")));
        assertEquals(java.util.List.of("opcode " + Opcode.PING, "a\uD83D\uDE00b"), decode(serverDecoder(), wire));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"E2 82", "F0 9F 98", "C3", "F4"})
    void textMessageEndingInsideASequenceFailsWith1007(String tail) throws ProtocolViolation {
        byte[] payload = concat(utf8("ab"), hex(tail));

        // one frame, whole in one read (the uncopied path)
        byte[] frame = clientFrame(true, Opcode.TEXT, payload);
        ProtocolViolation whole = assertThrows(ProtocolViolation.class, () -> decode(serverDecoder(), frame));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, whole.closeCode());

        // the same frame arriving in two reads (the assembled path): fails on the last byte
        assertEquals(frame.length - 1, offsetOfFailure(serverDecoder(), frame, ProtocolViolation.INVALID_PAYLOAD));

        // the message in two fragments, the open sequence in the final one
        byte[] fragments = concat(clientFrame(false, Opcode.TEXT, utf8("ab")),
                clientFrame(true, Opcode.CONTINUATION, hex(tail)));
        ProtocolViolation fragmented = assertThrows(ProtocolViolation.class, () -> decode(serverDecoder(), fragments));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, fragmented.closeCode());

        // ... or with an empty final fragment after it
        byte[] emptyLast = concat(clientFrame(false, Opcode.TEXT, payload),
                clientFrame(true, Opcode.CONTINUATION, new byte[0]));
        MessageDecoder decoder = serverDecoder();
        assertEquals(java.util.List.of(), decode(decoder, Arrays.copyOf(emptyLast, frame.length)));
        ProtocolViolation atEnd = assertThrows(ProtocolViolation.class,
                () -> decode(decoder, Arrays.copyOfRange(emptyLast, frame.length, emptyLast.length)));
        assertEquals(ProtocolViolation.INVALID_PAYLOAD, atEnd.closeCode());
    }

    @Test
    void eachTextMessageStartsWithAFreshValidator() throws ProtocolViolation {
        MessageDecoder decoder = serverDecoder();
        assertEquals(java.util.List.of("a\u00E9"), decode(decoder, clientFrame(true, Opcode.TEXT, utf8("a\u00E9"))));
        // binary messages are not validated and do not leave state behind
        assertEquals(java.util.List.of("opcode " + Opcode.BINARY),
                decode(decoder, clientFrame(true, Opcode.BINARY, hex("E2 82"))));
        assertEquals(java.util.List.of("ok"), decode(decoder, clientFrame(true, Opcode.TEXT, utf8("ok"))));
        // a message may not begin with the continuation of something earlier
        assertEquals(6, offsetOfFailure(decoder, clientFrame(true, Opcode.TEXT, hex("80 61")),
                ProtocolViolation.INVALID_PAYLOAD));
    }
}

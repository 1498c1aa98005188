package io.switchboard.codec;

import static io.switchboard.codec.Feed.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The examples of RFC 6455 §5.7, whole and split at every byte into two and three reads. */
class Rfc6455VectorsTest {
    private static final String HELLO = "48656c6c6f";

    static Stream<Arguments> vectors() {
        byte[] binary256 = new byte[256];
        byte[] binary64k = new byte[65536];
        for (int i = 0; i < binary64k.length; i++) {
            binary64k[i] = (byte) (i * 31 + 7);
        }
        System.arraycopy(binary64k, 0, binary256, 0, 256);
        return Stream.of(
                Arguments.of("unmasked text", Role.CLIENT, hex("8105" + HELLO), List.of("text:Hello")),
                Arguments.of("masked text", Role.SERVER, hex("818537fa213d7f9f4d5158"), List.of("text:Hello")),
                Arguments.of("fragmented unmasked text", Role.CLIENT, hex("010348656c 80026c6f"), List.of("text:Hello")),
                Arguments.of("unmasked ping", Role.CLIENT, hex("8905" + HELLO), List.of("ping:" + HELLO)),
                Arguments.of("masked pong", Role.SERVER, hex("8a8537fa213d7f9f4d5158"), List.of("pong:" + HELLO)),
                Arguments.of("256-byte binary, 16-bit length", Role.CLIENT,
                        Feed.concat(hex("827e0100"), binary256), List.of("binary:" + java.util.HexFormat.of().formatHex(binary256))),
                Arguments.of("64 KiB binary, 64-bit length", Role.CLIENT,
                        Feed.concat(hex("827f0000000000010000"), binary64k), List.of("binary:" + java.util.HexFormat.of().formatHex(binary64k))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhole(String name, Role role, byte[] bytes, List<String> expected) throws ProtocolViolation {
        assertEquals(expected, Feed.decode(decoder(role), bytes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesSplitIntoTwoReadsAtEveryByte(String name, Role role, byte[] bytes, List<String> expected) throws ProtocolViolation {
        for (int cut : cutPoints(bytes.length)) {
            assertEquals(expected, Feed.decode(decoder(role), Feed.split(bytes, cut)), "cut at " + cut);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesSplitIntoThreeReadsAtEveryPairOfBytes(String name, Role role, byte[] bytes, List<String> expected) throws ProtocolViolation {
        List<Integer> cuts = cutPoints(bytes.length);
        for (int first : cuts) {
            for (int second : cuts) {
                if (second >= first) {
                    assertEquals(expected, Feed.decode(decoder(role), Feed.split(bytes, first, second)),
                            "cuts at " + first + " and " + second);
                }
            }
        }
    }

    @Test
    void aWholeFrameIsHandedOutAsAViewOfTheReadBufferNotACopy() throws ProtocolViolation {
        ByteBuffer in = ByteBuffer.wrap(hex("818537fa213d7f9f4d5158"));
        MessageDecoder decoder = decoder(Role.SERVER);
        assertEquals(Opcode.TEXT, decoder.decode(in));
        assertSame(in.array(), decoder.payload().array());
        assertEquals(6, decoder.payload().position());
        assertEquals(ByteBuffer.wrap(hex(HELLO)), decoder.payload());
    }

    @Test
    void severalFramesInOneReadComeOutOneByOne() throws ProtocolViolation {
        byte[] bytes = Feed.concat(hex("818537fa213d7f9f4d5158"), hex("8a8537fa213d7f9f4d5158"), hex("818537fa213d7f9f4d5158"));
        assertEquals(List.of("text:Hello", "pong:" + HELLO, "text:Hello"), Feed.decode(decoder(Role.SERVER), bytes));
    }

    /** Every cut for small vectors; for large ones every cut in the header and around the edges. */
    private static List<Integer> cutPoints(int length) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i <= length; i++) {
            if (length < 300 || i < 20 || i > length - 20 || i % 4099 == 0) {
                cuts.add(i);
            }
        }
        return cuts;
    }

    private static MessageDecoder decoder(Role role) {
        return new MessageDecoder(role, DecoderLimits.DEFAULT, null);
    }
}

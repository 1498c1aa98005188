package io.switchboard.codec;

import static io.switchboard.codec.Feed.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each frame-level rule of RFC 6455 with the close code it earns. Where a rule can be decided from
 * the first bytes, the test sends only those bytes: the violation must be reported before the
 * rest of the frame arrives.
 */
class FrameRulesTest {
    private static final int KEY = 0x11223344;

    @ParameterizedTest(name = "first byte {0}")
    @ValueSource(strings = {"a1", "91", "c1"})
    void reservedBitsWithoutAnExtensionAre1002(String firstByte) {
        assertViolation(1002, Role.SERVER, hex(firstByte + "80"));
    }

    @Test
    void rsv1IsAllowedOnlyWhereDeflateSaysSo() throws ProtocolViolation {
        MessageDecoder withDeflate = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false));
        assertThrows(ProtocolViolation.class, () -> withDeflate.decode(ByteBuffer.wrap(hex("e180"))), "RSV1|RSV2");
        assertViolation(1002, new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false)), hex("c980"));
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false));
        assertEquals(MessageDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(hex("c180"))), "RSV1 on a text frame is legal");
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodesAre1002(int opcode) {
        assertViolation(1002, Role.SERVER, new byte[] {(byte) (0x80 | opcode)});
        assertViolation(1002, Role.SERVER, new byte[] {(byte) (0x80 | opcode), (byte) 0x80});
    }

    @Test
    void anUnmaskedFrameFromAClientIs1002() {
        assertViolation(1002, Role.SERVER, hex("8105"));
    }

    @Test
    void aMaskedFrameFromAServerIs1002() {
        assertViolation(1002, Role.CLIENT, hex("8185"));
    }

    @Test
    void aControlFrameOver125BytesIs1002() {
        assertViolation(1002, Role.SERVER, hex("89fe"));
        assertViolation(1002, Role.SERVER, hex("89ff"));
        assertViolation(1002, Role.SERVER, hex("88fe"));
    }

    @Test
    void aFragmentedControlFrameIs1002() {
        assertViolation(1002, Role.SERVER, hex("0980"));
        assertViolation(1002, Role.SERVER, hex("0a80"));
        assertViolation(1002, Role.SERVER, hex("0880"));
    }

    @Test
    void aControlFrameOfExactly125BytesIsFine() throws ProtocolViolation {
        byte[] ping = Feed.clientFrame(true, Opcode.PING, new byte[125], KEY);
        assertEquals(List.of("ping:" + "00".repeat(125)), Feed.decode(decoder(), ping));
    }

    @Test
    void aNonMinimal16BitLengthIs1002() throws ProtocolViolation {
        assertViolation(1002, Role.SERVER, hex("82fe007d"));
        assertEquals(MessageDecoder.NEED_MORE, decoder().decode(ByteBuffer.wrap(hex("82fe007e11223344"))), "126 is minimal");
    }

    @Test
    void aNonMinimal64BitLengthIs1002() throws ProtocolViolation {
        assertViolation(1002, Role.SERVER, hex("82ff000000000000ffff"));
        assertViolation(1002, Role.SERVER, hex("82ff0000000000000000"));
        assertEquals(MessageDecoder.NEED_MORE, decoder().decode(ByteBuffer.wrap(hex("82ff000000000001000011223344"))),
                "65536 is minimal");
    }

    @Test
    void a64BitLengthWithTheTopBitSetIs1002() {
        assertViolation(1002, Role.SERVER, hex("82ff8000000000000001"));
        assertViolation(1002, Role.SERVER, hex("82ffffffffffffffffff"));
    }

    @Test
    void aContinuationWithoutAMessageIs1002() {
        assertViolation(1002, Role.SERVER, hex("80"));
        assertViolation(1002, Role.SERVER, hex("00"));
    }

    @Test
    void aContinuationAfterAFinishedMessageIs1002() {
        byte[] message = Feed.clientFrame(true, Opcode.TEXT, new byte[] {'a'}, KEY);
        byte[] continuation = Feed.clientFrame(true, Opcode.CONTINUATION, new byte[] {'b'}, KEY);
        assertViolation(1002, decoder(), Feed.concat(message, continuation));
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {Opcode.TEXT, Opcode.BINARY})
    void aNewDataFrameInsideAFragmentedMessageIs1002(int opcode) {
        byte[] start = Feed.clientFrame(false, Opcode.TEXT, new byte[] {'a'}, KEY);
        assertViolation(1002, decoder(), Feed.concat(start, new byte[] {(byte) (0x80 | opcode)}));
    }

    @Test
    void controlFramesMayComeBetweenFragments() throws ProtocolViolation {
        byte[] bytes = Feed.concat(
                Feed.clientFrame(false, Opcode.TEXT, "Hel".getBytes(), KEY),
                Feed.clientFrame(true, Opcode.PING, new byte[] {1}, KEY),
                Feed.clientFrame(false, Opcode.CONTINUATION, "l".getBytes(), KEY),
                Feed.clientFrame(true, Opcode.PONG, new byte[] {2}, KEY),
                Feed.clientFrame(true, Opcode.CONTINUATION, "o".getBytes(), KEY));
        assertEquals(List.of("ping:01", "pong:02", "text:Hello"), Feed.decode(decoder(), bytes));
    }

    @Test
    void aFrameOverTheLimitIs1009FromItsHeaderAlone() {
        DecoderLimits limits = new DecoderLimits(1000, 4000, 10);
        assertViolation(1009, new MessageDecoder(Role.SERVER, limits, null), hex("82fe03e9"));
        assertViolation(1009, new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null), hex("82ff0000000000100001"));
    }

    @Test
    void aFrameAtTheLimitIsFine() throws ProtocolViolation {
        DecoderLimits limits = new DecoderLimits(1000, 4000, 10);
        byte[] frame = Feed.clientFrame(true, Opcode.BINARY, new byte[1000], KEY);
        assertEquals(1, Feed.decode(new MessageDecoder(Role.SERVER, limits, null), frame).size());
    }

    @Test
    void theFailedRuleStopsTheDecoderEvenIfMoreBytesFollow() {
        byte[] bad = Feed.concat(hex("8105"), Feed.clientFrame(true, Opcode.TEXT, "x".getBytes(), KEY));
        assertViolation(1002, decoder(), bad);
    }

    static void assertViolation(int closeCode, Role role, byte[] bytes) {
        assertViolation(closeCode, new MessageDecoder(role, DecoderLimits.DEFAULT, null), bytes);
    }

    static void assertViolation(int closeCode, MessageDecoder decoder, byte[] bytes) {
        ProtocolViolation violation = assertThrows(ProtocolViolation.class, () -> Feed.decode(decoder, bytes));
        assertEquals(closeCode, violation.closeCode(), violation.getMessage());
    }

    private static MessageDecoder decoder() {
        return new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
    }
}

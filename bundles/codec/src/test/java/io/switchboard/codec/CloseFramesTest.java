package io.switchboard.codec;

import static io.switchboard.codec.Feed.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Close frame payloads (RFC 6455 §5.5.1, §7.4): code space, length and reason. */
class CloseFramesTest {
    private static final int KEY = 0x0A0B0C0D;

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void validCodesAreAccepted(int code) throws ProtocolViolation {
        assertEquals(List.of("close:" + code + ":bye"), Feed.decode(decoder(), close(code, "bye")));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void invalidCodesAre1002(int code) {
        FrameRulesTest.assertViolation(1002, decoder(), close(code, ""));
    }

    @Test
    void anEmptyCloseReportsNoStatus() throws ProtocolViolation {
        assertEquals(List.of("close:1005:"), Feed.decode(decoder(), Feed.clientFrame(true, Opcode.CLOSE, new byte[0], KEY)));
    }

    @Test
    void aOneBytePayloadIs1002() {
        FrameRulesTest.assertViolation(1002, decoder(), Feed.clientFrame(true, Opcode.CLOSE, new byte[] {3}, KEY));
    }

    @Test
    void aReasonThatIsNotUtf8Is1007() {
        byte[] payload = Feed.concat(hex("03e8"), hex("cebae1bdb9cf83cebcceb5eda080656469746564"));
        FrameRulesTest.assertViolation(1007, decoder(), Feed.clientFrame(true, Opcode.CLOSE, payload, KEY));
        FrameRulesTest.assertViolation(1007, decoder(), Feed.clientFrame(true, Opcode.CLOSE, hex("03e8e282"), KEY));
    }

    @Test
    void aCloseFrameSplitAcrossReadsIsGatheredWhole() throws ProtocolViolation {
        byte[] frame = close(1001, "going");
        for (int cut = 0; cut <= frame.length; cut++) {
            assertEquals(List.of("close:1001:going"), Feed.decode(decoder(), Feed.split(frame, cut)), "cut at " + cut);
        }
    }

    @Test
    void payloadWritesCodeAndReasonAndCutsALongReasonAtACharacterBoundary() {
        assertEquals(ByteBuffer.wrap(hex("03e9" + "6279")), CloseFrames.payload(1001, "by"));
        String reason = "a" + "€".repeat(60); // 1 + 180 bytes
        ByteBuffer payload = CloseFrames.payload(1000, reason);
        assertEquals(2 + 1 + 3 * 40, payload.remaining(), "123 bytes hold 'a' and 40 whole euro signs");
        byte[] text = new byte[payload.remaining() - 2];
        payload.get(2, text);
        assertArrayEquals(("a" + "€".repeat(40)).getBytes(StandardCharsets.UTF_8), text);
        assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(1005, ""));
    }

    private static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = Feed.concat(new byte[] {(byte) (code >>> 8), (byte) code}, text);
        return Feed.clientFrame(true, Opcode.CLOSE, payload, KEY);
    }

    private static MessageDecoder decoder() {
        return new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
    }
}

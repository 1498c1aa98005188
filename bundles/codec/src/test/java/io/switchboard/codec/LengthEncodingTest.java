package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each edge of the three length encodings, written by {@link FrameWriter} and read back. */
class LengthEncodingTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 124, 125, 126, 127, 128, 65534, 65535, 65536, 65537, 1 << 20})
    void aServerFrameUsesTheShortestEncodingAndReadsBack(int length) throws ProtocolViolation {
        byte[] payload = payload(length);
        byte[] frame = Feed.frame(true, false, Opcode.BINARY, payload, false, 0);
        int headerSize = length <= 125 ? 2 : length <= 65535 ? 4 : 10;
        assertEquals(headerSize, FrameWriter.headerSize(length, false));
        assertEquals(headerSize + length, frame.length);
        assertEquals(length <= 125 ? length : length <= 65535 ? 126 : 127, frame[1] & 0x7F);

        MessageDecoder decoder = new MessageDecoder(Role.CLIENT, DecoderLimits.DEFAULT, null);
        assertEquals(Opcode.BINARY, decoder.decode(ByteBuffer.wrap(frame)));
        assertEquals(ByteBuffer.wrap(payload), decoder.payload());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 125, 126, 127, 65535, 65536})
    void aMaskedClientFrameReadsBackAtEveryEdge(int length) throws ProtocolViolation {
        byte[] payload = payload(length);
        byte[] frame = Feed.clientFrame(true, Opcode.BINARY, payload, 0xCAFEBABE);
        assertEquals(FrameWriter.headerSize(length, true) + length, frame.length);
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
        assertEquals(Opcode.BINARY, decoder.decode(ByteBuffer.wrap(frame)));
        assertEquals(ByteBuffer.wrap(payload), decoder.payload());
    }

    @Test
    void theMaskingKeyIsWrittenInNetworkOrderWhateverTheBufferOrder() {
        ByteBuffer big = ByteBuffer.allocate(14);
        ByteBuffer little = ByteBuffer.allocate(14).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        FrameWriter.writeHeader(big, true, false, Opcode.BINARY, 300, true, 0xCAFEBABE);
        FrameWriter.writeHeader(little, true, false, Opcode.BINARY, 300, true, 0xCAFEBABE);
        byte[] expected = {(byte) 0x82, (byte) 0xFE, 0x01, 0x2C, (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};
        assertEquals(ByteBuffer.wrap(expected), big.flip());
        assertEquals(ByteBuffer.wrap(expected), little.flip());
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i ^ (i >>> 8));
        }
        return payload;
    }

    @Test
    void theWriterRefusesAControlFrameOver125BytesOrNotFinal() {
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(ByteBuffer.allocate(14), true, false, Opcode.PING, 126));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.writeHeader(ByteBuffer.allocate(14), false, false, Opcode.CLOSE, 2));
    }

    @Test
    void theParserRefusesAFrameLimitBelowAControlFrame() {
        assertThrows(IllegalArgumentException.class, () -> new FrameParser(Role.SERVER, 124, false));
    }
}

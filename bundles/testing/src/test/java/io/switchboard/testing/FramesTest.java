package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bytes the raw client writes and the checks it makes, against RFC 6455's own examples. */
class FramesTest {

    /** RFC 6455 §5.7: a masked "Hello" with the mask key 37 fa 21 3d. */
    @Test
    void maskedHelloIsTheRfcExample() {
        byte[] expected = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        assertArrayEquals(expected, Frames.masked(Frames.FIN | Frames.TEXT, Frames.utf8("Hello"), 0x37fa213d));
    }

    /** RFC 6455 §5.7: an unmasked "Hello", and the first fragment of an unmasked "Hel" "lo". */
    @Test
    void unmaskedFramesAreTheRfcExamples() {
        assertArrayEquals(new byte[] {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f},
                Frames.unmasked(Frames.first(true, Frames.TEXT), Frames.utf8("Hello")));
        assertArrayEquals(new byte[] {0x01, 0x03, 0x48, 0x65, 0x6c}, Frames.unmasked(Frames.first(false, Frames.TEXT), Frames.utf8("Hel")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    void lengthsTakeTheShortestForm(int length) {
        byte[] frame = Frames.masked(Frames.FIN | Frames.BINARY, new byte[length], 0);
        int expectedHeader = length <= 125 ? 6 : length <= 65535 ? 8 : 14;
        assertEquals(expectedHeader + length, frame.length);
        assertEquals(expectedHeader, Frames.headerSize(length, true));
        ByteBuffer header = ByteBuffer.wrap(frame);
        header.get();
        int length7 = header.get() & 0x7F;
        long announced = length7 == 126 ? header.getShort() & 0xFFFF : length7 == 127 ? header.getLong() : length7;
        assertEquals(length, announced);
    }

    /** Nothing is refused: a 126-byte ping and a 2^40-byte announcement are written as asked. */
    @Test
    void invalidFramesAreWrittenAsAsked() {
        assertEquals(2 + 2 + 4 + 126, Frames.masked(Frames.FIN | Frames.PING, new byte[126], 1).length);
        byte[] giant = Frames.maskedHeader(Frames.FIN | Frames.BINARY, 1L << 40, 0x01020304);
        assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4}, giant);
    }

    @Test
    void readFramesTellTheirParts() {
        Frame close = new Frame(Frames.FIN | Frames.CLOSE, Frames.closePayload(1001, "bye ✓"));
        assertTrue(close.isClose() && close.fin());
        assertEquals(1001, close.closeCode());
        assertEquals("bye ✓", close.closeReason());
        assertEquals(1005, new Frame(Frames.FIN | Frames.CLOSE, new byte[0]).closeCode());
        Frame compressed = new Frame(Frames.FIN | Frames.RSV1 | Frames.TEXT, new byte[3]);
        assertTrue(compressed.rsv1());
        assertEquals(Frames.RSV1, compressed.rsv());
        assertEquals(Frames.TEXT, compressed.opcode());
        assertArrayEquals(new byte[] {(byte) 0xC1, 3, 0, 0, 0}, compressed.toBytes());
    }

    /** RFC 6455 §1.3: the sample key and its accept value. */
    @Test
    void acceptValueIsTheRfcExample() {
        assertEquals(UpgradeRequest.ACCEPT, UpgradeRequest.acceptFor(UpgradeRequest.KEY));
        assertEquals(24, UpgradeRequest.newKey().length());
    }

    @Test
    void switchingProtocolsIsCheckedFieldByField() {
        String good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + UpgradeRequest.ACCEPT + "\r\n\r\n";
        assertNull(UpgradeRequest.checkSwitchingProtocols(good, UpgradeRequest.KEY));
        assertEquals(good.length(), UpgradeRequest.headLength(good.getBytes(), good.length()));
        assertEquals(-1, UpgradeRequest.headLength(good.getBytes(), good.length() - 1));
        String otherKey = UpgradeRequest.checkSwitchingProtocols(good, UpgradeRequest.newKey());
        assertTrue(otherKey.startsWith("Sec-WebSocket-Accept is "), otherKey);
        String refused = UpgradeRequest.checkSwitchingProtocols("HTTP/1.1 404 Not Found\r\n\r\n", UpgradeRequest.KEY);
        assertEquals("the status line is 'HTTP/1.1 404 Not Found'", refused);
    }
}

package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    /** Logs each frame as "opcode fin rsv1 length:payload-hex", payload unmasked. */
    private static final class Log implements FrameParser.Handler {
        final List<String> frames = new ArrayList<>();
        private String header;
        private int maskKey;
        private boolean masked;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey) {
            header = opcode + (fin ? " fin" : "") + (rsv1 ? " rsv1" : "") + " " + length;
            this.masked = masked;
            this.maskKey = maskKey;
            payload.reset();
        }

        @Override
        public void payload(ByteBuffer in, int from, int length, long frameOffset) {
            for (int i = 0; i < length; i++) {
                byte b = in.get(from + i);
                payload.write(masked ? b ^ ClientFrames.maskByte(maskKey, frameOffset + i) : b);
            }
        }

        @Override
        public void frameEnd() {
            frames.add(header + ":" + HexFormat.of().formatHex(payload.toByteArray()));
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static List<String> parse(boolean allowMasked, byte[] bytes) throws ProtocolException {
        Log log = new Log();
        new FrameParser(allowMasked).parse(ByteBuffer.wrap(bytes), log);
        return log.frames;
    }

    @Test
    void parsesTheRfc6455Examples() throws ProtocolException {
        String hello = "48656c6c6f";
        assertEquals(List.of("1 fin 5:" + hello), parse(false, hex("81 05 48 65 6c 6c 6f")));
        assertEquals(List.of("1 fin 5:" + hello), parse(true, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
        assertEquals(List.of("1 3:48656c", "0 fin 2:6c6f"), parse(false, hex("01 03 48 65 6c 80 02 6c 6f")));
        assertEquals(List.of("9 fin 5:" + hello), parse(false, hex("89 05 48 65 6c 6c 6f")));
    }

    @Test
    void readsExtendedLengthsAtTheirBoundaries() throws ProtocolException {
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 65_537}) {
            ByteBuffer frame = ByteBuffer.allocate(10 + length).put((byte) 0x82);
            if (length <= 125) {
                frame.put((byte) length);
            } else if (length <= 0xFFFF) {
                frame.put((byte) 126).putShort((short) length);
            } else {
                frame.put((byte) 127).putLong(length);
            }
            frame.put(new byte[length]).flip();
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            List<String> frames = parse(false, bytes);
            assertEquals(1, frames.size(), "length " + length);
            assertEquals("2 fin " + length, frames.get(0).substring(0, frames.get(0).indexOf(':')));
        }
    }

    @Test
    void resumesAtEverySplitAcrossReads() throws ProtocolException {
        ByteBuffer stream = ByteBuffer.allocate(400);
        stream.put(hex("01 03 48 65 6c 89 02 68 69 80 02 6c 6f"));
        stream.put(hex("82 7e 01 00")).put(new byte[256]);
        stream.put(ClientFrames.frame(ClientFrames.OPCODE_TEXT, true, 0x01020304, "masked".getBytes()));
        byte[] bytes = new byte[stream.position()];
        stream.flip().get(bytes);
        List<String> whole = parse(true, bytes);
        assertEquals(5, whole.size());
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second += 7) {
                Log log = new Log();
                FrameParser parser = new FrameParser(true);
                parser.parse(ByteBuffer.wrap(bytes, 0, first), log);
                parser.parse(ByteBuffer.wrap(bytes, first, second - first).slice(), log);
                parser.parse(ByteBuffer.wrap(bytes, second, bytes.length - second).slice(), log);
                assertEquals(whole, log.frames, "split at " + first + " and " + second);
            }
        }
    }

    @Test
    void rejectsFramesAServerMustNotSend() {
        assertThrows(ProtocolException.class, () -> parse(false, hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")), "masked");
        assertThrows(ProtocolException.class, () -> parse(false, hex("82 7e 00 7d")), "non-minimal 16-bit length");
        assertThrows(ProtocolException.class, () -> parse(false, hex("82 7f 00 00 00 00 00 00 ff ff")), "non-minimal 64-bit");
        assertThrows(ProtocolException.class, () -> parse(false, hex("82 7f 80 00 00 00 00 00 00 00")), "negative length");
        assertThrows(ProtocolException.class, () -> parse(false, hex("a2 00")), "RSV2");
        assertThrows(ProtocolException.class, () -> parse(false, hex("09 00")), "fragmented ping");
        assertThrows(ProtocolException.class, () -> parse(false, hex("c9 00")), "RSV1 on a ping");
        assertThrows(ProtocolException.class, () -> parse(false, hex("83 00")), "reserved opcode");
    }
}

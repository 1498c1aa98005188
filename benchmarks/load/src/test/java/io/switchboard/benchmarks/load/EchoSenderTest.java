package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoSenderTest {
    /** A socket that takes at most {@code perWrite} bytes per write. */
    private static final class ShortWrites implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final int perWrite;

        ShortWrites(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public boolean handshake(ByteBuffer scratch) {
            return true;
        }

        @Override
        public boolean wantsWrite() {
            return false;
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public boolean readAgain() {
            return false;
        }

        @Override
        public boolean write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            for (int i = 0; i < n; i++) {
                written.write(src.get());
            }
            return !src.hasRemaining();
        }
    }

    private static Traffic traffic() {
        return new Traffic(Options.parse(new String[] {"--scenario", "S2", "--port", "1", "--control-port", "2",
            "--in-flight", "4", "--size", "200"}), 0x01020304);
    }

    /** The opcodes of the frames in {@code bytes}. */
    private static List<Integer> opcodes(byte[] bytes, int from) throws ProtocolException {
        List<Integer> opcodes = new ArrayList<>();
        new FrameParser(true).parse(ByteBuffer.wrap(bytes, from, bytes.length - from), new FrameParser.Handler() {
            @Override
            public void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey) {
                opcodes.add(opcode);
            }

            @Override
            public void payload(ByteBuffer in, int start, int length, long frameOffset) {
            }

            @Override
            public void frameEnd() {
            }
        });
        return opcodes;
    }

    @Test
    void writesAcrossShortWritesAndPutsAPongBetweenFramesOnly() throws Exception {
        Traffic traffic = traffic();
        EchoSender sender = new EchoSender(traffic);
        byte[] request = "GET /echo HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        sender.sendRequest(request);
        sender.queue(sender.inFlight());
        ShortWrites socket = new ShortWrites(7);
        while (socket.written.size() < request.length + 10) {
            assertFalse(sender.flush(socket));
        }
        // The first frame is half written: the pong must wait for the end of the batch.
        sender.queuePong(traffic.controlFrame(ClientFrames.OPCODE_PONG, new byte[] {1}, 1));
        while (!sender.flush(socket)) {
            assertTrue(sender.hasOutput());
        }
        assertFalse(sender.hasOutput());
        assertEquals(4, sender.outstanding());
        byte[] bytes = socket.written.toByteArray();
        assertEquals(new String(request, StandardCharsets.US_ASCII), new String(bytes, 0, request.length, StandardCharsets.US_ASCII));
        assertEquals(List.of(2, 2, 2, 2, 0xA), opcodes(bytes, request.length));
    }

    @Test
    void sendsOneMessageForEachEchoAndTimesThemInOrder() throws Exception {
        EchoSender sender = new EchoSender(traffic());
        EchoStats stats = new EchoStats();
        stats.startWindow();
        ShortWrites socket = new ShortWrites(Integer.MAX_VALUE);
        sender.queue(sender.inFlight());
        assertTrue(sender.flush(socket));
        sender.echoed(3, System.nanoTime(), stats);
        assertEquals(1, sender.outstanding());
        sender.queue(3);
        assertTrue(sender.flush(socket));
        assertEquals(4, sender.outstanding());
        assertEquals(7, opcodes(socket.written.toByteArray(), 0).size());
        assertEquals(3, stats.messages());
        assertThrows(ProtocolException.class, () -> sender.echoed(5, System.nanoTime(), stats));
    }

    @Test
    void sendsMessageNAsTheFrameOfSlotNModTheSlotsInOneWriteEvenAcrossTheEndOfTheRing() throws Exception {
        Traffic traffic = new Traffic(Options.parse(new String[] {"--scenario", "S7", "--port", "1", "--in-flight", "4"}), 7);
        EchoSender sender = new EchoSender(traffic);
        ShortWrites socket = new ShortWrites(Integer.MAX_VALUE);
        EchoStats stats = new EchoStats();
        sender.queue(3);
        assertTrue(sender.flush(socket));
        sender.echoed(3, System.nanoTime(), stats);
        sender.queue(3); // messages 3, 4, 5: slots 3, 0, 1
        assertTrue(sender.flush(socket));
        assertEquals(3, sender.outstanding());
        assertTrue(sender.hasRoom());
        sender.queue(1);
        assertFalse(sender.hasRoom(), "four unanswered: the ring is full");
        byte[] bytes = socket.written.toByteArray();
        List<String> numbers = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += traffic.frameLength) {
            byte[] payload = new byte[4];
            for (int i = 0; i < 4; i++) { // the payload follows a 2-byte header and the 4-byte mask key
                payload[i] = (byte) (bytes[at + 6 + i] ^ ClientFrames.maskByte(7, i));
            }
            numbers.add(new String(payload, StandardCharsets.US_ASCII));
        }
        assertEquals(List.of("0000", "0001", "0002", "0003", "0000", "0001"), numbers);
    }

    @Test
    void sendsNothingAfterTheClose() throws Exception {
        Traffic traffic = traffic();
        EchoSender sender = new EchoSender(traffic);
        ShortWrites socket = new ShortWrites(Integer.MAX_VALUE);
        sender.queueClose(traffic.controlFrame(ClientFrames.OPCODE_CLOSE, new byte[] {0x03, (byte) 0xE8}, 2));
        sender.queue(4);
        assertTrue(sender.flush(socket));
        assertEquals(List.of(ClientFrames.OPCODE_CLOSE), opcodes(socket.written.toByteArray(), 0));
    }
}

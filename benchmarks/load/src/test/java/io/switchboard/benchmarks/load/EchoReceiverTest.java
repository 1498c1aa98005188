package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class EchoReceiverTest {
    private static Options options(String... args) {
        String[] all = Arrays.copyOf(new String[] {"--port", "1", "--control-port", "2"}, 4 + args.length);
        System.arraycopy(args, 0, all, 4, args.length);
        return Options.parse(all);
    }

    /** A server frame: unmasked, final unless {@code fin} is false. */
    private static byte[] serverFrame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(payload.length + 10);
        out.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        if (payload.length <= 125) {
            out.put((byte) payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.put((byte) 126).putShort((short) payload.length);
        } else {
            out.put((byte) 127).putLong(payload.length);
        }
        out.put(payload).flip();
        return Arrays.copyOf(out.array(), out.limit());
    }

    private static int feed(EchoReceiver receiver, boolean allowMasked, byte[]... frames) throws ProtocolException {
        FrameParser parser = new FrameParser(allowMasked);
        for (byte[] frame : frames) {
            parser.parse(ByteBuffer.wrap(frame), receiver);
        }
        return receiver.takeCompleted();
    }

    @Test
    void countsAndVerifiesEchoes() throws ProtocolException {
        Traffic traffic = new Traffic(options("--scenario", "S1"), 0x11223344);
        EchoReceiver receiver = new EchoReceiver(traffic);
        byte[] echo = serverFrame(ClientFrames.OPCODE_TEXT, true, false, traffic.payload);
        assertEquals(3, feed(receiver, false, echo, echo, echo));
        byte[] half = Arrays.copyOf(traffic.payload, 32);
        byte[] rest = Arrays.copyOfRange(traffic.payload, 32, 64);
        assertEquals(1, feed(receiver, false, serverFrame(1, false, false, half), serverFrame(0, true, false, rest)));
    }

    @Test
    void verifiesTheMaskedFramesOfARawEcho() throws ProtocolException {
        Options options = options("--scenario", "S2", "--raw", "--in-flight", "4");
        Traffic traffic = new Traffic(options, 0x0BADF00D);
        ByteBuffer frames = traffic.framesView();
        frames.limit(traffic.slots * traffic.frameLength);
        byte[] echoed = new byte[frames.remaining()];
        frames.get(echoed);
        assertEquals(4, feed(new EchoReceiver(traffic), true, echoed));
    }

    @Test
    void failsOnAMismatch() {
        Traffic traffic = new Traffic(options("--scenario", "S1"), 1);
        byte[] wrong = traffic.payload.clone();
        wrong[63] ^= 1;
        assertThrows(ProtocolException.class, () -> feed(new EchoReceiver(traffic), false,
                serverFrame(ClientFrames.OPCODE_TEXT, true, false, wrong)));
        assertThrows(ProtocolException.class, () -> feed(new EchoReceiver(traffic), false,
                serverFrame(ClientFrames.OPCODE_BINARY, true, false, traffic.payload)));
        assertThrows(ProtocolException.class, () -> feed(new EchoReceiver(traffic), false,
                serverFrame(ClientFrames.OPCODE_TEXT, true, false, Arrays.copyOf(traffic.payload, 63))));
    }

    @Test
    void inflatesTheFirstCompressedEcho() throws ProtocolException {
        Traffic traffic = new Traffic(options("--scenario", "S2", "--deflate"), 7);
        byte[] compressed = serverDeflate(traffic.payload);
        EchoReceiver receiver = new EchoReceiver(traffic);
        assertEquals(2, feed(receiver, false, serverFrame(ClientFrames.OPCODE_BINARY, true, true, compressed),
                serverFrame(ClientFrames.OPCODE_BINARY, true, true, compressed)));
        byte[] corrupt = compressed.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        assertThrows(ProtocolException.class, () -> feed(new EchoReceiver(traffic), false,
                serverFrame(ClientFrames.OPCODE_BINARY, true, true, corrupt)));
        assertThrows(ProtocolException.class, () -> feed(new EchoReceiver(new Traffic(options("--scenario", "S2"), 7)),
                false, serverFrame(ClientFrames.OPCODE_BINARY, true, true, compressed)), "RSV1 without deflate");
    }

    @Test
    void theClientsCompressedPayloadInflatesToTheMessage() throws Exception {
        byte[] message = Payloads.text(4096);
        byte[] compressed = Payloads.deflate(message);
        assertTrue(compressed.length < message.length / 2, "the text compresses");
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        System.arraycopy(Payloads.deflateTail(), 0, input, compressed.length, 4);
        inflater.setInput(input);
        byte[] out = new byte[message.length];
        assertEquals(message.length, inflater.inflate(out));
        assertArrayEquals(message, out);
        inflater.end();
    }

    @Test
    void keepsPingsAndCloses() throws ProtocolException {
        Traffic traffic = new Traffic(options("--scenario", "S1"), 1);
        EchoReceiver receiver = new EchoReceiver(traffic);
        feed(receiver, false, serverFrame(ClientFrames.OPCODE_PING, true, false, new byte[] {1}),
                serverFrame(ClientFrames.OPCODE_PING, true, false, new byte[] {2, 3}));
        assertArrayEquals(new byte[] {2, 3}, receiver.takePing());
        feed(receiver, false, serverFrame(ClientFrames.OPCODE_CLOSE, true, false, new byte[] {0x03, (byte) 0xE9, 'x'}));
        assertTrue(receiver.closeReceived());
        assertEquals("code 1001 (x)", receiver.describeClose());
    }

    private static byte[] serverDeflate(byte[] message) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        deflater.end();
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }
}

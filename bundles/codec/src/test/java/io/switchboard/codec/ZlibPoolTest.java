package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

/** The pool of zlib state lent per message: bounded, reset between borrowers, ended when closed. */
class ZlibPoolTest {

    @Test
    void atMostCapacityWaitIdleAndTheRestAreEnded() {
        ZlibPool pool = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 3);
        List<Deflater> deflaters = new ArrayList<>();
        List<Inflater> inflaters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            deflaters.add(pool.takeDeflater());
            inflaters.add(pool.takeInflater());
        }
        deflaters.forEach(pool::give);
        inflaters.forEach(pool::give);
        assertEquals(6, pool.idle());
        assertThrows(NullPointerException.class, deflaters.get(4)::getTotalIn, "ended"); // zip says "has been closed"
        assertThrows(NullPointerException.class, inflaters.get(4)::getTotalIn, "ended");
        assertEquals(0, deflaters.get(0).getTotalIn(), "kept, and open");
    }

    @Test
    void aBorrowerGetsAResetDeflaterBack() {
        ZlibPool pool = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 1);
        Deflater deflater = pool.takeDeflater();
        deflater.setInput(new byte[100]);
        deflater.deflate(new byte[200], 0, 200, Deflater.SYNC_FLUSH);
        pool.give(deflater);
        Deflater again = pool.takeDeflater();
        assertSame(deflater, again);
        assertEquals(0, again.getTotalIn());
    }

    @Test
    void closingEndsWhatIsIdleAndWhatComesBackLater() {
        ZlibPool pool = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 4);
        Deflater idle = pool.takeDeflater();
        Deflater lent = pool.takeDeflater();
        pool.give(idle);
        pool.close();
        assertEquals(0, pool.idle());
        assertThrows(NullPointerException.class, idle::getTotalIn);
        pool.give(lent);
        assertEquals(0, pool.idle());
        assertThrows(NullPointerException.class, lent::getTotalIn);
    }

    @Test
    void aPooledDeflaterCompressesAsAFreshOneAndKeepsNothing() {
        ZlibPool pool = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 2);
        MessageDeflater pooled = new MessageDeflater(pool, 1 << 10);
        MessageDeflater fresh = new MessageDeflater(true, Deflater.DEFAULT_COMPRESSION);
        for (String text : List.of("a".repeat(1000), "hello, hello, hello", "")) {
            byte[] message = text.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(bytes(fresh.deflate(ByteBuffer.wrap(message))), bytes(pooled.deflate(ByteBuffer.wrap(message))), text);
            assertEquals(1, pool.idle(), "the deflater is back after each message");
        }
        assertTrue(pooled.compresses(1024));
        assertFalse(pooled.compresses(1025));
    }

    @Test
    void aDecoderBorrowsItsInflaterForOneMessageAndGivesItBackEvenMidMessage() throws ProtocolViolation {
        ZlibPool pool = new ZlibPool(Deflater.DEFAULT_COMPRESSION, 2);
        MessageDecoder decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, new PerMessageDeflate(false, true), pool);
        byte[] payload = bytes(new MessageDeflater(true, Deflater.DEFAULT_COMPRESSION)
                .deflate(ByteBuffer.wrap("hello, hello, hello".getBytes(StandardCharsets.UTF_8))));
        byte[] frame = masked(0xC1, payload); // FIN, RSV1, text
        for (int i = 0; i < 3; i++) {
            assertEquals(Opcode.TEXT, decoder.decode(ByteBuffer.wrap(frame)));
            assertEquals("hello, hello, hello", StandardCharsets.UTF_8.decode(decoder.payload()).toString());
            assertEquals(1, pool.idle(), "given back after message " + i);
        }
        byte[] unfinished = masked(0x41, payload); // RSV1, text, more to come
        assertEquals(MessageDecoder.NEED_MORE, decoder.decode(ByteBuffer.wrap(unfinished)));
        assertEquals(0, pool.idle(), "lent while the message lasts");
        decoder.release();
        assertEquals(1, pool.idle());
    }

    /** A client frame of under 126 bytes, masked with the zero key. */
    private static byte[] masked(int first, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 6);
        frame.put((byte) first).put((byte) (0x80 | payload.length)).putInt(0).put(payload);
        return frame.array();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}

package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fan-out subscriber fed frames built here, as a server would send them: what it accepts (each
 * published message once, in order, however it is fragmented or split across reads) and what
 * fails the run (a gap, a repeat, a wrong size, a text or compressed frame, a stray continuation,
 * and a payload that differs from the published one on a message it samples).
 */
class FanOutReceiverTest {
    /** 300 bytes: a 16-bit length in the frame header, and a payload that goes on well past the 16-byte header. */
    private static final byte[] PAYLOAD = Payloads.binary(300);

    /**
     * One receiver with its own ledger and parser. The ledger counts a second subscriber that never
     * receives anything, so no message ever completes and the ledger accepts a repeated message:
     * catching repeats, gaps and reordering is then the receiver's job alone.
     */
    private static final class Subscriber {
        final Deliveries deliveries = new Deliveries(2, 2048);
        final FanOutReceiver receiver = new FanOutReceiver(7, PAYLOAD, deliveries);
        private final FrameParser parser = new FrameParser(false);

        /** Subscriber with messages 0 to {@code count - 1} published. */
        Subscriber published(int count) {
            while (deliveries.published() < count) {
                deliveries.publish(System.nanoTime());
            }
            return this;
        }

        void feed(byte[]... frames) throws ProtocolException {
            for (byte[] frame : frames) {
                parser.parse(ByteBuffer.wrap(frame), receiver);
            }
        }

        /** The frames' bytes, one read of {@code bytesPerRead} at a time. */
        void feedInReads(int bytesPerRead, byte[] frame) throws ProtocolException {
            for (int at = 0; at < frame.length; at += bytesPerRead) {
                parser.parse(ByteBuffer.wrap(frame, at, Math.min(bytesPerRead, frame.length - at)), receiver);
            }
        }

        ProtocolException rejects(byte[]... frames) {
            return assertThrows(ProtocolException.class, () -> feed(frames));
        }
    }

    /** Message {@code seq} as published: the payload with the sequence number and publish time over its first 16 bytes. */
    private static byte[] message(long seq, long publishedAt) {
        byte[] message = PAYLOAD.clone();
        ByteBuffer.wrap(message).putLong(seq).putLong(publishedAt);
        return message;
    }

    private static byte[] message(long seq) {
        return message(seq, System.nanoTime());
    }

    /** A copy of {@code message} with byte {@code index} flipped. */
    private static byte[] corrupt(byte[] message, int index) {
        byte[] corrupted = message.clone();
        corrupted[index] ^= 0x20;
        return corrupted;
    }

    /** A server frame: unmasked. */
    private static byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
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

    private static byte[] binary(byte[] payload) {
        return frame(ClientFrames.OPCODE_BINARY, true, false, payload);
    }

    @Test
    void takesEachMessageOnceInOrderAndReportsItsDeliveryAndLatency() throws ProtocolException {
        Subscriber subscriber = new Subscriber().published(3);
        subscriber.deliveries.startWindow();
        long publishedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5);
        subscriber.feed(binary(message(0, publishedAt)), binary(message(1, publishedAt)), binary(message(2, publishedAt)));
        long longest = System.nanoTime() - publishedAt;

        assertEquals(3, subscriber.receiver.messages());
        assertEquals(3, subscriber.deliveries.windowDeliveries());
        assertEquals(1, subscriber.deliveries.receivedOldest(), "message 0 counted once, for this subscriber");
        // The histogram keeps 3 significant digits: allow 0.1 % either way.
        assertTrue(subscriber.deliveries.percentileMicros(0) >= 5000 * 0.999,
                "latency from the publish time in the header: " + subscriber.deliveries.percentileMicros(0) + " us");
        assertTrue(subscriber.deliveries.percentileMicros(100) <= longest / 1000.0 * 1.001,
                "latency at most the time since publishing: " + subscriber.deliveries.percentileMicros(100) + " us");
        assertEquals(0, subscriber.receiver.takeCompleted(), "a subscriber sends no echoes");
        assertEquals(0, subscriber.receiver.uncompressedMessages());
        assertFalse(subscriber.receiver.closeReceived());
    }

    @Test
    void takesAMessageFragmentedAtAnyPointWithControlFramesBetweenItsFragments() throws ProtocolException {
        for (int cut = 0; cut <= PAYLOAD.length; cut++) {
            Subscriber subscriber = new Subscriber().published(1);
            byte[] message = message(0);
            subscriber.feed(frame(ClientFrames.OPCODE_BINARY, false, false, Arrays.copyOf(message, cut)),
                    frame(ClientFrames.OPCODE_PING, true, false, new byte[] {(byte) cut}),
                    frame(ClientFrames.OPCODE_CONTINUATION, false, false, new byte[0]),
                    frame(ClientFrames.OPCODE_PONG, true, false, new byte[] {1, 2}),
                    frame(ClientFrames.OPCODE_CONTINUATION, true, false, Arrays.copyOfRange(message, cut, message.length)));
            assertEquals(1, subscriber.receiver.messages(), "cut at " + cut);
            assertArrayEquals(new byte[] {(byte) cut}, subscriber.receiver.takePing(), "cut at " + cut);
            assertNull(subscriber.receiver.takePing(), "a ping is answered once");
        }
    }

    @Test
    void takesAMessageSplitAcrossReadsOfAnySize() throws ProtocolException {
        for (int bytesPerRead = 1; bytesPerRead <= 20; bytesPerRead++) {
            Subscriber subscriber = new Subscriber().published(2);
            subscriber.feedInReads(bytesPerRead, binary(message(0)));
            subscriber.feedInReads(bytesPerRead, binary(message(1)));
            assertEquals(2, subscriber.receiver.messages(), bytesPerRead + " bytes per read");
        }
    }

    @Test
    void failsOnAGapARepeatOrAnEarlierMessage() throws ProtocolException {
        Subscriber gap = new Subscriber().published(3);
        gap.feed(binary(message(0)));
        assertTrue(gap.rejects(binary(message(2))).getMessage().contains("message 2 arrived where 1 was due"));

        Subscriber repeat = new Subscriber().published(3);
        repeat.feed(binary(message(0)), binary(message(1)));
        repeat.rejects(binary(message(1)));

        Subscriber earlier = new Subscriber().published(3);
        earlier.feed(binary(message(0)), binary(message(1)));
        earlier.rejects(binary(message(0)));

        assertTrue(new Subscriber().published(3).rejects(binary(message(1))).getMessage().contains("subscriber 7"),
                "the failure names the subscriber");
    }

    @Test
    void failsOnAMessageOfAnotherSize() {
        byte[] message = message(0);
        new Subscriber().published(1).rejects(binary(Arrays.copyOf(message, message.length - 1)));
        new Subscriber().published(1).rejects(binary(Arrays.copyOf(message, message.length + 1)));
        new Subscriber().published(1).rejects(binary(Arrays.copyOf(message, 8)));
        new Subscriber().published(1).rejects(binary(new byte[0]));
        new Subscriber().published(1).rejects(frame(ClientFrames.OPCODE_BINARY, false, false, message),
                frame(ClientFrames.OPCODE_CONTINUATION, true, false, new byte[] {0}));
    }

    @Test
    void failsOnFramesTheServerMustNotSendHere() throws ProtocolException {
        byte[] message = message(0);
        new Subscriber().published(1).rejects(frame(ClientFrames.OPCODE_TEXT, true, false, message));
        new Subscriber().published(1).rejects(frame(ClientFrames.OPCODE_BINARY, true, true, message));
        new Subscriber().published(1).rejects(frame(ClientFrames.OPCODE_CONTINUATION, true, false, message));

        Subscriber interrupted = new Subscriber().published(1);
        interrupted.feed(frame(ClientFrames.OPCODE_BINARY, false, false, Arrays.copyOf(message, 100)));
        interrupted.rejects(binary(message));

        Subscriber completed = new Subscriber().published(2);
        completed.feed(binary(message));
        completed.rejects(frame(ClientFrames.OPCODE_CONTINUATION, true, false, message(1)));
    }

    @Test
    void comparesTheFirstMessageWithWhatWasPublished() throws ProtocolException {
        byte[] message = message(0);
        for (int index : new int[] {FanOutReceiver.HEADER, 150, PAYLOAD.length - 1}) {
            ProtocolException failure = new Subscriber().published(1).rejects(binary(corrupt(message, index)));
            assertTrue(failure.getMessage().contains("at byte " + index), failure.getMessage());
        }
        // Fragments and reads split it: the comparison follows each byte's place in the message.
        byte[] corrupted = corrupt(message, 200);
        new Subscriber().published(1).rejects(frame(ClientFrames.OPCODE_BINARY, false, false, Arrays.copyOf(corrupted, 10)),
                frame(ClientFrames.OPCODE_CONTINUATION, true, false, Arrays.copyOfRange(corrupted, 10, corrupted.length)));
        Subscriber splitReads = new Subscriber().published(1);
        assertThrows(ProtocolException.class, () -> splitReads.feedInReads(7, binary(corrupted)));
    }

    /** Comparing every message would spend the generator's CPU on checking instead of receiving. */
    @Test
    void comparesEvery1024thMessageOnly() throws ProtocolException {
        Subscriber subscriber = new Subscriber().published(FanOutReceiver.VERIFY_EVERY + 1);
        subscriber.feed(binary(message(0)), binary(corrupt(message(1), 100)));
        for (int seq = 2; seq < FanOutReceiver.VERIFY_EVERY - 1; seq++) {
            subscriber.feed(binary(message(seq)));
        }
        subscriber.feed(binary(corrupt(message(FanOutReceiver.VERIFY_EVERY - 1), 100)));
        assertEquals(FanOutReceiver.VERIFY_EVERY, subscriber.receiver.messages());
        ProtocolException failure = subscriber.rejects(binary(corrupt(message(FanOutReceiver.VERIFY_EVERY), 100)));
        assertTrue(failure.getMessage().contains("message 1024 differs"), failure.getMessage());
    }

    @Test
    void keepsTheLatestPingAndTheClose() throws ProtocolException {
        Subscriber subscriber = new Subscriber().published(1);
        subscriber.feed(frame(ClientFrames.OPCODE_PING, true, false, new byte[] {1}),
                frame(ClientFrames.OPCODE_PING, true, false, new byte[] {2, 3}), binary(message(0)));
        assertArrayEquals(new byte[] {2, 3}, subscriber.receiver.takePing());
        assertFalse(subscriber.receiver.closeReceived());
        subscriber.feed(frame(ClientFrames.OPCODE_CLOSE, true, false, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'}));
        assertTrue(subscriber.receiver.closeReceived());
        assertEquals("code 1001 (bye)", subscriber.receiver.describeClose());
        assertEquals(1, subscriber.receiver.messages());

        Subscriber noCode = new Subscriber();
        noCode.feed(frame(ClientFrames.OPCODE_CLOSE, true, false, new byte[0]));
        assertTrue(noCode.receiver.closeReceived());
        assertEquals("code 1005", noCode.receiver.describeClose());
    }
}

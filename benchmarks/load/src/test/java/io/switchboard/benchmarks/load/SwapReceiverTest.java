package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SwapReceiverTest {
    private static Traffic traffic(String... more) {
        String[] args = {"--scenario", "S7", "--port", "1", "--in-flight", "4"};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return new Traffic(Options.parse(all), 0x01020304);
    }

    /** A server's unmasked text frame. */
    private static byte[] echo(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 2);
        frame.put((byte) 0x81).put((byte) payload.length).put(payload);
        return frame.array();
    }

    private static int feed(SwapReceiver receiver, byte[]... frames) throws ProtocolException {
        FrameParser parser = new FrameParser(false);
        for (byte[] frame : frames) {
            parser.parse(ByteBuffer.wrap(frame), receiver);
        }
        return receiver.takeCompleted();
    }

    @Test
    void eachSlotsMessageDiffersByItsNumber() {
        Traffic traffic = traffic();
        assertEquals(32, traffic.payload(3).length);
        assertEquals("0003", new String(traffic.payload(3), 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(Arrays.copyOfRange(traffic.payload(0), 4, 32), Arrays.copyOfRange(traffic.payload(3), 4, 32));
    }

    @Test
    void takesTheEchoesInOrderAcrossTheRingAndReportsTheirDelays() throws ProtocolException {
        Traffic traffic = traffic();
        SwapPauses pauses = new SwapPauses(1);
        SwapPauses.Window window = pauses.window("all", 0, Long.MAX_VALUE);
        SwapReceiver receiver = new SwapReceiver(0, traffic, pauses);
        for (int message = 0; message < 10; message++) {
            receiver.sent(System.nanoTime());
            assertEquals(1, feed(receiver, echo(traffic.payload(message % traffic.slots))));
        }
        for (int i = 0; i < 4; i++) {
            receiver.sent(System.nanoTime());
        }
        assertEquals(4, feed(receiver, echo(traffic.payload(2)), echo(traffic.payload(3)), echo(traffic.payload(0)),
                echo(traffic.payload(1))));
        assertEquals(14, receiver.messages());
        assertEquals(0, receiver.unanswered());
        assertEquals(14, window.messages());
        assertTrue(window.pauseNanos(100) >= 0);
    }

    @Test
    void failsOnAnEchoOutOfOrderRepeatedAlteredOrUnasked() throws ProtocolException {
        Traffic traffic = traffic();
        SwapReceiver swapped = new SwapReceiver(0, traffic, new SwapPauses(1));
        swapped.sent(1);
        swapped.sent(2);
        assertThrows(ProtocolException.class, () -> feed(swapped, echo(traffic.payload(1))), "out of order");

        SwapReceiver repeated = new SwapReceiver(0, traffic, new SwapPauses(1));
        repeated.sent(1);
        repeated.sent(2);
        feed(repeated, echo(traffic.payload(0)));
        assertThrows(ProtocolException.class, () -> feed(repeated, echo(traffic.payload(0))), "repeated");

        SwapReceiver altered = new SwapReceiver(0, traffic, new SwapPauses(1));
        altered.sent(1);
        byte[] wrong = traffic.payload(0).clone();
        wrong[31] ^= 1;
        assertThrows(ProtocolException.class, () -> feed(altered, echo(wrong)), "altered");

        SwapReceiver unasked = new SwapReceiver(0, traffic, new SwapPauses(1));
        assertThrows(ProtocolException.class, () -> feed(unasked, echo(traffic.payload(0))), "nothing was sent");

        SwapReceiver binary = new SwapReceiver(0, traffic, new SwapPauses(1));
        binary.sent(1);
        byte[] frame = echo(traffic.payload(0));
        frame[0] = (byte) 0x82;
        assertThrows(ProtocolException.class, () -> feed(binary, frame), "a binary echo of a text message");
    }

    @Test
    void refusesMoreUnansweredMessagesThanTheRingHolds() {
        SwapReceiver receiver = new SwapReceiver(0, traffic(), new SwapPauses(1));
        for (int i = 0; i < 4; i++) {
            receiver.sent(i);
        }
        assertThrows(IllegalStateException.class, () -> receiver.sent(5));
    }
}

package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fan-out ledger on its own: the window of messages in flight, a message complete only once
 * every subscriber has it, the counts of the measurement window and the latencies it records.
 */
class DeliveriesTest {
    private static final int SUBSCRIBERS = 3;
    private static final int WINDOW = 4;

    private final Deliveries deliveries = new Deliveries(SUBSCRIBERS, WINDOW);
    private int completions;

    DeliveriesTest() {
        deliveries.onComplete(() -> completions++);
    }

    private void publishWhileThereIsRoom() {
        while (deliveries.canPublish()) {
            deliveries.publish(0);
        }
    }

    /** Message {@code seq} reaches {@code count} more subscribers. */
    private void deliver(long seq, int count) throws ProtocolException {
        for (int i = 0; i < count; i++) {
            deliveries.delivered(seq, 1000, 0);
        }
    }

    @Test
    void publishesUpToTheWindowInSequence() {
        for (long seq = 0; seq < WINDOW; seq++) {
            assertTrue(deliveries.canPublish());
            assertEquals(seq, deliveries.publish(0));
        }
        assertFalse(deliveries.canPublish());
        assertEquals(WINDOW, deliveries.published());
        assertEquals(WINDOW, deliveries.inFlight());
    }

    @Test
    void aMessageCompletesOnlyOnceEverySubscriberHasIt() throws ProtocolException {
        publishWhileThereIsRoom();
        deliver(0, SUBSCRIBERS - 1);
        assertEquals(SUBSCRIBERS - 1, deliveries.receivedOldest());
        assertEquals(WINDOW, deliveries.inFlight());
        assertFalse(deliveries.canPublish());
        assertEquals(0, completions);

        deliver(0, 1);
        assertEquals(WINDOW - 1, deliveries.inFlight());
        assertEquals(0, deliveries.receivedOldest(), "message 1 is the oldest now, and nobody has it yet");
        assertTrue(deliveries.canPublish());
        assertEquals(1, completions);
        assertEquals(WINDOW, deliveries.publish(0));
        assertFalse(deliveries.canPublish());
        deliver(1, 1);
        assertEquals(1, deliveries.receivedOldest());
    }

    @Test
    void messagesCompleteInOrderEvenIfALaterOneIsCountedFirst() throws ProtocolException {
        publishWhileThereIsRoom();
        deliver(0, SUBSCRIBERS - 1);
        deliver(1, SUBSCRIBERS);
        deliver(2, SUBSCRIBERS);
        assertEquals(WINDOW, deliveries.inFlight(), "message 0 still misses a subscriber");
        assertEquals(0, completions);
        deliver(0, 1);
        assertEquals(1, deliveries.inFlight(), "0, 1 and 2 complete together");
        assertEquals(1, completions, "one notice for all that completed at once");
    }

    @Test
    void reusesItsCountersRoundTheRing() throws ProtocolException {
        for (int round = 0; round < 5; round++) {
            publishWhileThereIsRoom();
            long first = deliveries.published() - WINDOW;
            for (long seq = first; seq < deliveries.published(); seq++) {
                deliver(seq, 1);
                assertEquals(WINDOW, deliveries.inFlight(), "round " + round + ": one subscriber of three has " + seq);
            }
            for (long seq = first; seq < deliveries.published(); seq++) {
                deliver(seq, SUBSCRIBERS - 1);
            }
            assertEquals(0, deliveries.inFlight(), "round " + round);
        }
        assertEquals(5 * WINDOW, deliveries.published());
    }

    @Test
    void failsOnAMessageNotInFlight() throws ProtocolException {
        deliveries.publish(0);
        deliveries.publish(0);
        assertThrows(ProtocolException.class, () -> deliveries.delivered(2, 0, 0), "never published");
        deliver(0, SUBSCRIBERS);
        assertThrows(ProtocolException.class, () -> deliveries.delivered(0, 0, 0), "already complete");
        deliver(1, 1);
    }

    @Test
    void countsDeliveriesInsideTheMeasurementWindowOnly() throws ProtocolException {
        publishWhileThereIsRoom();
        deliver(0, SUBSCRIBERS);
        deliveries.startWindow();
        deliver(1, SUBSCRIBERS);
        deliver(2, 1);
        deliveries.endWindow();
        deliver(2, SUBSCRIBERS - 1);
        assertEquals(SUBSCRIBERS + 1, deliveries.windowDeliveries(), "each subscriber's copy is a delivery");

        deliveries.startWindow();
        assertEquals(0, deliveries.windowDeliveries(), "a new window starts from zero");
        deliver(3, 2);
        assertEquals(2, deliveries.windowDeliveries());
    }

    @Test
    void recordsLatenciesInsideTheWindowInMicroseconds() throws ProtocolException {
        Deliveries one = new Deliveries(1, 1000);
        long seq = 0;
        one.publish(0);
        one.delivered(seq++, TimeUnit.SECONDS.toNanos(30), 0); // before the window: not recorded
        one.startWindow();
        for (int i = 0; i < 98; i++) {
            one.publish(0);
            one.delivered(seq++, 20_000, 0);
        }
        for (int i = 0; i < 2; i++) {
            one.publish(0);
            one.delivered(seq++, 3_000_000, 0);
        }
        one.endWindow();
        one.publish(0);
        one.delivered(seq, TimeUnit.SECONDS.toNanos(30), 0); // after the window: not recorded

        assertEquals(20.0, one.percentileMicros(50), 20.0 * 0.001);
        assertEquals(20.0, one.percentileMicros(98), 20.0 * 0.001);
        assertEquals(3000.0, one.percentileMicros(99), 3000.0 * 0.001);
        assertEquals(3000.0, one.percentileMicros(100), 3000.0 * 0.001);

        one.startWindow();
        one.publish(0);
        one.delivered(++seq, 50_000, 0);
        assertEquals(50.0, one.percentileMicros(0), 50.0 * 0.001, "a new window forgets the last one's latencies");
        assertEquals(50.0, one.percentileMicros(100), 50.0 * 0.001);
    }

    @Test
    void recordsALatencyOutsideTheHistogramsRangeAtItsBound() throws ProtocolException {
        Deliveries one = new Deliveries(1, 4);
        one.startWindow();
        one.publish(0);
        one.delivered(0, -5, 0); // another core's clock may be a little behind
        assertEquals(0.0, one.percentileMicros(100));
        one.publish(0);
        one.delivered(1, TimeUnit.MINUTES.toNanos(5), 0);
        assertEquals(60e6, one.percentileMicros(100), 60e6 * 0.001);
        assertEquals(2, one.windowDeliveries());
    }

    @Test
    void theStallClockStartsWithTheFirstMessageInFlightAndMovesWithEachDelivery() throws ProtocolException {
        deliveries.publish(100);
        deliveries.publish(200);
        assertEquals(100, deliveries.lastDelivery(), "publishing behind a message in flight does not reset it");
        deliveries.delivered(0, 0, 300);
        assertEquals(300, deliveries.lastDelivery());
        deliveries.delivered(1, 0, 350);
        assertEquals(350, deliveries.lastDelivery());
        deliver(0, SUBSCRIBERS - 1);
        deliver(1, SUBSCRIBERS - 1);
        assertEquals(0, deliveries.inFlight());
        deliveries.publish(900);
        assertEquals(900, deliveries.lastDelivery(), "nothing was in flight: the clock starts again");
    }
}

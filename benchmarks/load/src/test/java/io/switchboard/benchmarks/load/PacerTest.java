package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long PACE = 100_000_000; // 100 ms

    private static List<Integer> due(Pacer pacer, long now) {
        List<Integer> sent = new ArrayList<>();
        pacer.sendDue(now, sent::add);
        return sent;
    }

    @Test
    void spreadsTheConnectionsEvenlyOverThePace() {
        Pacer pacer = new Pacer(4, PACE, 1_000);
        assertEquals(List.of(0), due(pacer, 1_000), "connection 0 at the start");
        assertEquals(List.of(), due(pacer, 1_000 + PACE / 4 - 1));
        assertEquals(List.of(1), due(pacer, 1_000 + PACE / 4));
        assertEquals(List.of(2, 3), due(pacer, 1_000 + 3 * PACE / 4));
        assertEquals(1_000 + PACE, pacer.nextDue(), "then connection 0 again, one pace after its first");
        assertEquals(List.of(0, 1), due(pacer, 1_000 + PACE + PACE / 4));
    }

    @Test
    void aLateLoopCatchesUpInOrderAndSendsEachConnectionOncePerPace() {
        Pacer pacer = new Pacer(10_000, PACE, 0);
        int[] sends = new int[10_000];
        int[] last = {-1};
        pacer.sendDue(3 * PACE - 1, index -> {
            assertEquals((last[0] + 1) % 10_000, index, "in phase order");
            last[0] = index;
            sends[index]++;
        });
        for (int count : sends) {
            assertEquals(3, count);
        }
        assertEquals(3 * PACE, pacer.nextDue());
    }

    @Test
    void refusesAnEmptySchedule() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, PACE, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(1, 0, 0));
    }
}

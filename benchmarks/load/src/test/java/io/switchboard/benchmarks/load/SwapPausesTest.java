package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SwapPausesTest {
    private static final long MS = 1_000_000;

    @Test
    void aConnectionsPauseIsTheLongestDelayOfAMessageItSentInTheWindow() {
        SwapPauses pauses = new SwapPauses(2);
        SwapPauses.Window window = pauses.window("w", 1000 * MS, 2000 * MS);
        pauses.answered(0, 999 * MS, 1050 * MS);  // sent before the window: not counted as a pause
        pauses.answered(0, 1100 * MS, 1101 * MS);
        pauses.answered(0, 1200 * MS, 1230 * MS);
        pauses.answered(0, 1300 * MS, 1302 * MS);
        pauses.answered(1, 1999 * MS, 2040 * MS); // sent in the window, answered after it: counted
        pauses.answered(1, 2000 * MS, 2100 * MS); // sent after the window
        assertEquals(2, window.connections());
        assertEquals(4, window.messages());
        assertEquals(30 * MS, window.pauseNanos(50));
        assertEquals(41 * MS, window.pauseNanos(99));
        assertEquals(41 * MS, window.pauseNanos(100));
    }

    @Test
    void theDelayProfileHasTheLongestDelayPerSliceOfSendTimes() {
        SwapPauses pauses = new SwapPauses(2);
        SwapPauses.Window window = pauses.window("w", 1000 * MS, 1250 * MS); // 100, 100 and 50 ms slices
        pauses.answered(0, 999 * MS, 1090 * MS);  // sent before the window
        pauses.answered(0, 1000 * MS, 1003 * MS);
        pauses.answered(1, 1099 * MS, 1105 * MS); // the first slice's slowest, though answered in the second
        pauses.answered(1, 1200 * MS, 1201 * MS);
        pauses.answered(0, 1249 * MS, 1400 * MS);
        pauses.answered(1, 1250 * MS, 1500 * MS); // sent after the window
        assertArrayEquals(new long[] {6 * MS, -1, 151 * MS}, window.delayProfileNanos());

        SwapPauses.Window endless = pauses.window("endless", 0, Long.MAX_VALUE);
        pauses.answered(0, 3_600_000 * MS, 3_600_001 * MS); // an hour in: beyond the profile, still a pause
        assertEquals(6000, endless.delayProfileNanos().length, "ten minutes of slices");
        assertEquals(MS, endless.pauseNanos(100));
    }

    @Test
    void percentilesAreNearestRankOverTheConnections() {
        SwapPauses pauses = new SwapPauses(200);
        SwapPauses.Window window = pauses.window("w", 0, 1000 * MS);
        for (int connection = 0; connection < 200; connection++) {
            pauses.answered(connection, 10 * MS, (10 + connection + 1) * MS); // pauses 1 … 200 ms
        }
        assertEquals(100 * MS, window.pauseNanos(50));
        assertEquals(198 * MS, window.pauseNanos(99));
        assertEquals(200 * MS, window.pauseNanos(100));
        assertEquals(1 * MS, window.pauseNanos(0.1));
    }

    @Test
    void theSilenceIsTheLongestStretchOfTheWindowWithoutAnyAnswerEdgesIncluded() {
        SwapPauses pauses = new SwapPauses(3);
        SwapPauses.Window window = pauses.window("w", 1000 * MS, 2000 * MS);
        pauses.answered(0, 990 * MS, 995 * MS);   // before the window
        pauses.answered(1, 1000 * MS, 1010 * MS); // 10 ms after the start
        pauses.answered(2, 1020 * MS, 1500 * MS); // 490 ms of nothing: a swap
        pauses.answered(0, 1600 * MS, 1601 * MS);
        assertEquals(490 * MS, window.silenceNanos());
        assertEquals(1010 * MS, window.silenceStartNanos(), "it began with the answer before it");
        SwapPauses.Window quiet = pauses.window("late", 1000 * MS, 3000 * MS);
        pauses.answered(1, 1700 * MS, 1701 * MS);
        assertEquals(1299 * MS, quiet.silenceNanos(), "from the last answer to the end of the window");
        assertEquals(1701 * MS, quiet.silenceStartNanos());
    }

    @Test
    void aWindowWhereNobodySentHasNoPause() {
        SwapPauses pauses = new SwapPauses(1);
        SwapPauses.Window window = pauses.window("w", 0, MS);
        assertEquals(0, window.connections());
        assertEquals(-1, window.pauseNanos(99));
        assertEquals(MS, window.silenceNanos());
        assertEquals(0, window.silenceStartNanos(), "from the start of the window");
    }
}

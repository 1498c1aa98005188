package io.switchboard.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CommandsTest {

    @Test
    void agesAreShortAndKeepTheTwoLargestUnits() {
        assertEquals("0s", Commands.age(Duration.ZERO));
        assertEquals("0s", Commands.age(Duration.ofMillis(-5))); // clocks may disagree
        assertEquals("59s", Commands.age(Duration.ofSeconds(59)));
        assertEquals("1m00s", Commands.age(Duration.ofSeconds(60)));
        assertEquals("4m05s", Commands.age(Duration.ofSeconds(245)));
        assertEquals("2h03m", Commands.age(Duration.ofSeconds(2 * 3600 + 3 * 60 + 59)));
        assertEquals("3d04h", Commands.age(Duration.ofHours(76)));
    }
}

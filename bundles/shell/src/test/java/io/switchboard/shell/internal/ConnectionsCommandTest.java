package io.switchboard.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConnectionsCommandTest {

    @Test
    void agesAreShortAndKeepTheTwoLargestUnits() {
        assertEquals("0s", ConnectionsCommand.age(Duration.ZERO));
        assertEquals("0s", ConnectionsCommand.age(Duration.ofMillis(-5))); // clocks may disagree
        assertEquals("59s", ConnectionsCommand.age(Duration.ofSeconds(59)));
        assertEquals("1m00s", ConnectionsCommand.age(Duration.ofSeconds(60)));
        assertEquals("4m05s", ConnectionsCommand.age(Duration.ofSeconds(245)));
        assertEquals("2h03m", ConnectionsCommand.age(Duration.ofSeconds(2 * 3600 + 3 * 60 + 59)));
        assertEquals("3d04h", ConnectionsCommand.age(Duration.ofHours(76)));
    }
}

package io.switchboard.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.switchboard.whiteboard.runtime.ClientConnectionDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

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

    @Test
    void outboundConnectionsAreListedWithTheirUriAndBundleAfterTheInboundOnes() {
        ClientConnectionDTO outbound = new ClientConnectionDTO();
        outbound.id = 42;
        outbound.uri = "wss://example.com/feed";
        outbound.remoteAddress = "93.184.216.34:443";
        outbound.bundleId = 7;
        RuntimeDTO state = new RuntimeDTO();
        state.clientConnections = new ClientConnectionDTO[] {outbound};

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Commands.connections(List.of(), state, id -> "com.example.feed [" + id + "]", Instant.now())
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals(3, lines.size(), lines.toString());
        assertEquals(List.of("Id", "Endpoint", "Route", "Remote", "Handler", "Age", "Bytes in", "Bytes out", "Direction"),
                cells(lines.get(0)));
        assertEquals(List.of("42", "", "wss://example.com/feed", "93.184.216.34:443", "com.example.feed [7]", "", "", "", "out"),
                cells(lines.get(2)));
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split("\\|", -1)).map(String::trim).toList();
    }
}

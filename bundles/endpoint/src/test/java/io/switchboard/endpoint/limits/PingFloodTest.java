package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * Pings are answered while few pongs wait (32); beyond that only the newest unsent one is kept
 * (RFC 6455 §5.5.3), so a ping flood cannot grow the send queue, and the last ping is always answered.
 */
class PingFloodTest {
    private static final int PINGS = 40;
    private static final int ALWAYS_ANSWERED = 32;

    @Test
    void fortyPingsInOneWriteAreAnsweredUpToTheNewest() throws Exception {
        try (WebSocketServer server = Servers.local().route("/echo", new Recorder()).start();
             RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/echo")) {
            byte[][] frames = new byte[PINGS + 1][];
            for (int i = 0; i < PINGS; i++) {
                frames[i] = client.frame(Opcode.PING, Frames.utf8(String.format("ping %02d", i)));
            }
            frames[PINGS] = client.textFrame("end"); // its echo is queued after every pong
            client.send(Frames.concat(frames));

            List<Integer> answered = new ArrayList<>();
            Frame frame;
            while ((frame = client.readFrame()).opcode() == Opcode.PONG) {
                answered.add(Integer.parseInt(frame.text().substring("ping ".length())));
            }
            assertEquals("end", frame.text(), frame.toString());

            assertTrue(answered.size() >= ALWAYS_ANSWERED + 1 && answered.size() <= PINGS, "pongs for " + answered);
            for (int i = 0; i < ALWAYS_ANSWERED; i++) {
                assertEquals(i, answered.get(i), () -> "the first " + ALWAYS_ANSWERED + " pings are answered in order: " + answered);
            }
            for (int i = 1; i < answered.size(); i++) {
                assertTrue(answered.get(i) > answered.get(i - 1), "pongs out of order or repeated: " + answered);
            }
            assertEquals(PINGS - 1, answered.get(answered.size() - 1), "the newest ping was not answered: " + answered);
        }
    }
}

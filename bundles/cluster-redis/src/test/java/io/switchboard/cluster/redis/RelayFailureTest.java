package io.switchboard.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RedisServer;
import io.switchboard.testing.JdkWebSocketClient.Event;
import io.switchboard.testing.JdkWebSocketClient.Text;

/**
 * What the relay does when Redis fails: a wrong password, a crash and restart in the middle of
 * traffic, a Redis that stops answering. Each test has its own real redis-server.
 */
class RelayFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aWrongPasswordIsReportedClearlyAndTheNodeKeepsServingLocally() throws Exception {
        try (LogCapture log = new LogCapture();
                RedisServer redis = RedisServer.start("the-right-one");
                Node refused = new Node(redis.uri(), relay -> relay.password("a-wrong-one"));
                Node admitted = new Node(redis.uri(), relay -> relay.password("the-right-one"))) {
            RelayStatistics failing = refused.relay.awaitStatistics(s -> s.lastError() != null, WAIT);
            assertTrue(failing.lastError().contains("refused the relay's credentials"), failing.lastError());
            assertTrue(failing.lastError().contains("WRONGPASS"), failing.lastError());
            assertFalse(failing.publishing());
            assertFalse(failing.subscribed());
            assertTrue(log.any("WARNING Redis at " + redis.uri() + " refused the relay's credentials"), log.lines().toString());
            admitted.awaitRelaying();

            try (JdkWebSocketClient alice = refused.join(); JdkWebSocketClient bob = refused.join()) {
                alice.send("still served here");
                alice.expectText("still served here");
                bob.expectText("still served here");
                // A relayed topic offers a message to the relay before its members here get it.
                assertEquals(1, refused.relay.statistics().dropped());
                assertTrue(log.any("WARNING Broadcasts are delivered on this node only"), log.lines().toString());
            }
        }
    }

    @Test
    void aRedisRestartInTheMiddleOfTrafficLosesOnlyTheMessagesOfTheGap() throws Exception {
        try (LogCapture log = new LogCapture();
                RedisServer redis = RedisServer.start();
                Node a = new Node(redis.uri(), relay -> relay.maxBackoff(Duration.ofMillis(500)));
                Node b = new Node(redis.uri(), relay -> relay.maxBackoff(Duration.ofMillis(500)))) {
            a.awaitRelaying();
            b.awaitRelaying();
            try (JdkWebSocketClient sender = a.join(); JdkWebSocketClient receiver = b.join()) {
                List<Integer> received = new ArrayList<>();
                int next = 0;
                for (; next < 100; next++) {
                    sender.request(String.valueOf(next));
                }
                receiveUntil(receiver, received, 99);
                long droppedBefore = a.relay.statistics().dropped();

                redis.kill();
                redis.launch();
                // Traffic goes on (each message a local round trip) until one sent after the
                // restart reaches the other node, then 50 more.
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (received.get(received.size() - 1) < 100) {
                    assertTrue(System.nanoTime() < deadline, "no message relayed after the restart: " + a.relay.statistics());
                    sender.request(String.valueOf(next++));
                    for (Event event; (event = receiver.pollEvent(Duration.ZERO)) != null; ) {
                        received.add(Integer.parseInt(((Text) event).text()));
                    }
                }
                int recovered = received.stream().filter(n -> n >= 100).findFirst().orElseThrow();
                int last = next + 49;
                for (; next <= last; next++) {
                    sender.request(String.valueOf(next));
                }
                receiveUntil(receiver, received, last);

                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    expected.add(i);
                }
                for (int i = recovered; i <= last; i++) {
                    expected.add(i);
                }
                assertEquals(expected, received, "everything before the crash, nothing twice, nothing lost once recovered");
                long dropped = a.relay.statistics().dropped() - droppedBefore;
                assertTrue(dropped > 0, "the message in flight at the crash is counted: " + a.relay.statistics());
                assertTrue(log.any("INFO Broadcasts are relayed through " + redis.uri() + " again; " + dropped
                        + " messages were not relayed meanwhile"), log.lines().toString());
                // Messages Redis took while b was resubscribing are lost for b without a count at a:
                // the gap is at least what a dropped.
                assertTrue(recovered - 100 >= dropped, "gap " + (recovered - 100) + ", dropped " + dropped);
            }
        }
    }

    private static void receiveUntil(JdkWebSocketClient receiver, List<Integer> received, int last) {
        while (received.isEmpty() || received.get(received.size() - 1) != last) {
            received.add(Integer.parseInt(receiver.awaitText()));
        }
    }

    @Test
    void aStoppedRedisFillsTheQueueToItsCapThenDropsAndCountsTheRest() throws Exception {
        int cap = 64 * 1024;
        String filler = "x".repeat(4000);
        try (LogCapture log = new LogCapture();
                RedisServer redis = RedisServer.start();
                Node a = new Node(redis.uri(), relay -> relay.queueCap(cap).timeout(Duration.ofSeconds(20)));
                Node b = Node.relaying(redis.uri())) {
            a.awaitRelaying();
            try (JdkWebSocketClient sender = a.join(); JdkWebSocketClient receiver = b.join()) {
                sender.request("before");
                receiver.expectText("before");
                redis.pause();
                int sent = 100;
                for (int i = 0; i < sent; i++) {
                    sender.request(i + " " + filler);
                }
                RelayStatistics stopped = a.relay.statistics();
                assertTrue(stopped.peakQueuedBytes() <= cap, "the cap holds: " + stopped);
                assertTrue(stopped.peakQueuedBytes() > cap - 4100, "the queue reached its cap: " + stopped);
                long dropped = stopped.dropped();
                assertTrue(dropped > 0 && dropped < sent, "some dropped, some queued: " + stopped);
                assertTrue(log.any("WARNING Broadcasts are delivered on this node only, not relayed to other nodes: "
                        + "the relay's queue is at its cap of " + cap + " bytes"), log.lines().toString());

                redis.resume();
                sender.request("after");
                receiver.awaitTextMatching("after"::equals);
                // awaitTextMatching stepped over the messages queued meanwhile; the statistics count them.
                // Node a offered "before", the 100 and "after": each was relayed or dropped, once.
                RelayStatistics resumed = a.relay.awaitStatistics(s -> s.relayed() + s.dropped() >= sent + 2, WAIT);
                assertEquals(sent + 2, resumed.relayed() + resumed.dropped(), resumed.toString());
                assertEquals(dropped, resumed.dropped(), "nothing dropped once Redis answers again");
                assertTrue(log.any("INFO Broadcasts are relayed through " + redis.uri() + " again; " + dropped
                        + " messages were not relayed meanwhile"), log.lines().toString());
            }
        }
    }
}

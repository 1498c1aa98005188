package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * The hot-swap contract at the edges, each case in a schedule that is certain rather than
 * likely: the removal of a handler returns only once it is no longer called and every instance
 * is released; a message sent after the return goes to the replacement; a replacement that
 * leaves before the move applies is skipped for the next best; a waiting connection takes
 * {@code setHandler}, and survives {@code writable}. The {@link Ledger} checks every call.
 */
class HotSwapContractTest {
    private final Ledger ledger = new Ledger();
    private final Registry registry = new Registry("/swap");
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private WebSocketServer start(WebSocketServer.Builder builder) throws Exception {
        WebSocketServer server = builder.router(registry).start();
        registry.serve(server);
        open.add(server);
        return server;
    }

    private RawWebSocketClient client(WebSocketServer server) throws Exception {
        RawWebSocketClient client = RawWebSocketClient.open(server.port(), "/swap");
        open.add(client);
        return client;
    }

    private ProbeBinding binding(String name, int ranking, boolean blocking, boolean prototype, boolean adopts) {
        return new ProbeBinding(ledger, name, ranking, blocking, prototype, adopts);
    }

    /** Sends {@code text} and expects it echoed: a round trip, so that what came before has happened. */
    private static void roundTrip(RawWebSocketClient client, String text) throws Exception {
        client.sendText(text);
        Frame echo = client.readFrame();
        assertEquals(text, echo.text(), echo::toString);
    }

    /** Ten clients, c0 to c9, each with its message 0 answered. */
    private List<RawWebSocketClient> tenClientsWithOneMessageEach(WebSocketServer server) throws Exception {
        List<RawWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RawWebSocketClient client = client(server);
            roundTrip(client, "c" + i + ":0");
            clients.add(client);
        }
        return clients;
    }

    /** Message {@code number} from each client, sent right away, and its answer. */
    private static void roundTrips(List<RawWebSocketClient> clients, int number) throws Exception {
        for (int i = 0; i < clients.size(); i++) {
            roundTrip(clients.get(i), "c" + i + ":" + number);
        }
    }

    /** Waits until {@code thread} has ended or waits for something; true if it ended. */
    private static boolean endsOrWaits(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            switch (thread.getState()) {
                case TERMINATED:
                    return true;
                case WAITING, TIMED_WAITING, BLOCKED:
                    return false;
                default:
                    Thread.onSpinWait();
            }
        }
        throw new AssertionError(thread + " neither ended nor waited within 5 s");
    }

    private static Thread inBackground(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Ten clients, each sending right after the removal returned: every message reaches the replacement. */
    @Test
    void afterTheRemovalReturnsEveryInstanceIsReleasedAndMessagesGoToTheReplacement() throws Exception {
        WebSocketServer server = start(Servers.local().loops(2));
        ProbeBinding old = binding("old", 10, false, true, false);
        ProbeBinding replacement = binding("replacement", 0, false, true, false);
        registry.register(old);
        registry.register(replacement);
        List<RawWebSocketClient> clients = tenClientsWithOneMessageEach(server);
        for (int round = 1; round <= 20; round++) {
            ProbeBinding next = binding("old" + round, 10, round % 2 == 0, true, false);
            registry.register(next); // takes new handshakes, but not the live connections
            registry.unregister(old);
            roundTrips(clients, round);
            old = next;
        }
        assertEquals(List.of(), ledger.violations());
        assertEquals(10 * 21, ledger.delivered());
    }

    /** A blocking callback still running holds the removal until it returns; nothing goes to the handler afterwards. */
    @Test
    void theRemovalWaitsForTheCallbackInProgress() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding old = binding("old", 10, true, true, false);
        ProbeBinding replacement = binding("replacement", 0, false, false, false);
        registry.register(old);
        registry.register(replacement);
        RawWebSocketClient client = client(server);
        client.sendText("c:0:block");
        assertTrue(old.blocked.await(5, TimeUnit.SECONDS), "the callback did not start");

        Thread removal = inBackground("removal", () -> registry.unregister(old));
        assertFalse(endsOrWaits(removal), "the removal returned while a callback on the handler was running");
        old.unblock();
        removal.join(5000);
        assertFalse(removal.isAlive(), "the removal did not return once the callback had");
        assertEquals("c:0:block", client.readFrame().text());
        roundTrip(client, "c:1");
        assertEquals(List.of(), ledger.violations());
    }

    /** A handler that adopts at once displaces the old one before its registration returns. */
    @Test
    void afterAnAdoptingRegistrationReturnsTheDisplacedHandlerGetsNoMessage() throws Exception {
        WebSocketServer server = start(Servers.local().loops(2));
        registry.register(binding("first", 0, false, false, false));
        List<RawWebSocketClient> clients = tenClientsWithOneMessageEach(server);
        for (int round = 1; round <= 20; round++) {
            registry.register(binding("adopter" + round, round, round % 2 == 0, round % 3 == 0, true));
            roundTrips(clients, round);
        }
        assertEquals(List.of(), ledger.violations());
    }

    /**
     * More connections than a loop moves in one turn (256, or what 1 ms allows), all on one loop,
     * with every client in a round trip after round trip meanwhile: a removal, then an adopting
     * registration, each take several turns (each adopt takes 20 µs) with the clients' messages
     * handled in between, and the ledger sees no breach; every message is answered.
     */
    @Test
    void movesThatSpanSeveralTurnsOfTheLoopKeepTheContractUnderTraffic() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding old = binding("old", 10, false, false, false);
        ProbeBinding replacement = binding("replacement", 0, false, true, false);
        ProbeBinding adopter = binding("adopter", 20, false, false, true);
        replacement.adoptNanos = adopter.adoptNanos = TimeUnit.MICROSECONDS.toNanos(20);
        registry.register(old);
        registry.register(replacement);
        List<RawWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 3 * 256 + 10; i++) {
            clients.add(client(server));
        }
        roundTrips(clients, 0);
        AtomicBoolean stop = new AtomicBoolean();
        BlockingQueue<Integer> roundsDone = new LinkedBlockingQueue<>();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 1; !stop.get(); round++) {
                    roundTrips(clients, round);
                    roundsDone.add(round);
                }
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        awaitNextRound(roundsDone);
        registry.unregister(old); // while a round is under way
        awaitNextRound(roundsDone);
        registry.register(adopter);
        int awaited = awaitNextRound(roundsDone);
        stop.set(true);
        traffic.get(30, TimeUnit.SECONDS);
        int lastRound = 0;
        for (Integer round; (round = roundsDone.poll()) != null; ) {
            lastRound = round;
        }
        lastRound = Math.max(lastRound, awaited);
        assertEquals(List.of(), ledger.violations());
        assertEquals(clients.size() * (lastRound + 1), ledger.delivered());
    }

    /**
     * An adopting registration whose pass over the route's connections spans many turns (each
     * adopt takes 3 ms, so a turn moves one connection): a client that sends meanwhile is adopted
     * before its message is read. So the adopter answers, and before the registration returns:
     * input neither waits for the pass nor goes to the handler it displaces.
     */
    @Test
    void aConnectionWithInputIsAdoptedFirstWhileTheAdoptingPassGoesOn() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding old = binding("old", 0, false, false, false);
        ProbeBinding adopter = binding("adopter", 10, false, false, true);
        adopter.adoptNanos = TimeUnit.MILLISECONDS.toNanos(3);
        registry.register(old);
        List<RawWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            clients.add(client(server));
        }
        roundTrips(clients, 0);
        Thread registering = inBackground("adopter registration", () -> registry.register(adopter));
        while (IntStream.range(0, clients.size()).noneMatch(i -> heldBy(adopter, i))) {
            assertTrue(registering.isAlive(), "the registration returned before the pass was seen to begin");
            Thread.onSpinWait();
        }
        for (int i = clients.size() - 5; i < clients.size(); i++) {
            roundTrip(clients.get(i), "c" + i + ":1");
            assertTrue(heldBy(adopter, i), "c" + i + ":1 was answered by " + ledger.holderOf(ledger.connectionOf("c" + i)));
            assertTrue(registering.isAlive(), "the registration returned before c" + i + ":1 was answered: the pass did not span turns");
        }
        registering.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(registering.isAlive(), "the registration did not return");
        assertEquals(List.of(), ledger.violations());
    }

    private boolean heldBy(ProbeBinding binding, int client) {
        Probe holder = ledger.holderOf(ledger.connectionOf("c" + client));
        return holder != null && holder.binding == binding;
    }

    /** Waits for the traffic to finish a round; returns its number. */
    private static int awaitNextRound(BlockingQueue<Integer> roundsDone) throws InterruptedException {
        Integer round = roundsDone.poll(20, TimeUnit.SECONDS);
        assertTrue(round != null, "the round trips stopped");
        return round;
    }

    /**
     * The old handler is removed while its callback blocks; before the move applies, the
     * replacement it would have gone to is removed too. The move takes the best one left.
     */
    @Test
    void aReplacementRemovedBeforeTheMoveAppliesIsSkippedForTheNextBest() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding old = binding("old", 20, true, false, false);
        ProbeBinding fleeting = binding("fleeting", 10, false, false, false);
        ProbeBinding lasting = binding("lasting", 0, false, false, false);
        registry.register(old);
        registry.register(fleeting);
        registry.register(lasting);
        RawWebSocketClient client = client(server);
        client.sendText("c:0:block");
        assertTrue(old.blocked.await(5, TimeUnit.SECONDS), "the callback did not start");

        Thread first = inBackground("remove old", () -> registry.unregister(old));
        endsOrWaits(first);
        Thread second = inBackground("remove fleeting", () -> registry.unregister(fleeting));
        endsOrWaits(second);
        old.unblock();
        first.join(5000);
        second.join(5000);
        assertEquals("c:0:block", client.readFrame().text());
        roundTrip(client, "c:1"); // by lasting: a 1013 close here would be the old behaviour
        assertEquals(List.of(), ledger.violations());
    }

    /** A connection waiting for a replacement takes one from setHandler, and reads again. */
    @Test
    void setHandlerOnAWaitingConnectionResumesIt() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding only = binding("only", 0, false, false, false);
        registry.register(only);
        RawWebSocketClient client = client(server);
        roundTrip(client, "c:0");
        Connection connection = ledger.connections().iterator().next();
        registry.unregister(only); // no replacement: the connection waits, reads paused
        client.sendText("c:1"); // waits in the socket
        CompletableFuture<Connection> adopted = new CompletableFuture<>();
        connection.setHandler(new ConnectionHandler() {
            @Override
            public void adopt(Connection adopting) {
                adopted.complete(adopting);
            }

            @Override
            public void message(Connection from, String text) {
                from.send("chosen " + text);
            }
        });
        assertEquals(connection, adopted.get(5, TimeUnit.SECONDS));
        assertEquals("chosen c:1", client.readFrame().text());
        assertEquals(List.of(), ledger.violations());
    }

    /**
     * A connection whose queue drains while it waits for a replacement: {@code writable} has no
     * handler to go to, and the connection waits on (not 1011), then the replacement takes it.
     */
    @Test
    void aWaitingConnectionWhoseQueueDrainsKeepsWaiting() throws Exception {
        WebSocketServer server = start(Servers.local().sendQueue(16 * 1024, 64 * 1024, 64L * 1024 * 1024));
        ProbeBinding only = binding("only", 0, false, false, false);
        registry.register(only);
        RawWebSocketClient client = RawWebSocketClient.connect(server.port(), 4096);
        open.add(client);
        client.upgrade("/swap");
        client.sendText("c:0:fill"); // the handler sends until the connection is not writable
        assertTrue(only.filled.await(5, TimeUnit.SECONDS), "the queue did not fill");
        registry.unregister(only);
        readPastTheFill(client, "c:0:fill"); // the queue drains while the connection has no handler
        client.sendText("c:1"); // waits in the socket for the replacement
        registry.register(binding("replacement", 0, false, false, false));
        assertEquals("c:1", client.readFrame().text());
        assertEquals(List.of(), ledger.violations());
    }

    /** Reads the fill's messages, then its echo. */
    private static void readPastTheFill(RawWebSocketClient client, String echo) throws Exception {
        while (true) {
            Frame frame = client.readFrame();
            assertNotEquals(true, frame.isClose(), frame::toString);
            if (frame.opcode() == io.switchboard.codec.Opcode.TEXT) {
                assertEquals(echo, frame.text());
                return;
            }
        }
    }

    /**
     * An inline callback that keeps its loop busy past the detach timeout: the removal returns at
     * the bound, and from then on the handler is called no more; its connection gets 1011.
     */
    @Test
    void aLoopBusyPastTheDetachTimeoutCallsTheRemovedHandlerNoMore() throws Exception {
        WebSocketServer server = start(Servers.local().detachTimeout(Duration.ofMillis(300)));
        ProbeBinding stuck = binding("stuck", 10, false, false, false);
        registry.register(stuck);
        registry.register(binding("replacement", 0, false, false, false));
        RawWebSocketClient client = client(server);
        client.sendText("c:0:block");
        assertTrue(stuck.blocked.await(5, TimeUnit.SECONDS), "the callback did not start");
        client.sendText("c:1"); // read only once the loop is free again: after the removal returned
        long start = System.nanoTime();
        registry.unregister(stuck);
        assertTrue(RawWebSocketClient.millisSince(start) >= 250, "the removal did not wait for the busy loop");
        stuck.unblock();
        assertEquals("c:0:block", client.readFrame().text());
        Frame closed = client.readFrame();
        assertEquals(CloseStatus.INTERNAL_ERROR, closed.closeCode(), closed::toString);
        assertEquals(List.of(), ledger.violations());
    }

    /** A blocking validate that never returns gets the handshake a 503 at the handshake timeout, not a hang. */
    @Test
    void aValidateThatDoesNotReturnIsTimedOut() throws Exception {
        WebSocketServer server = start(Servers.local().handshakeTimeout(Duration.ofMillis(300)));
        ProbeBinding stuck = binding("stuck", 0, true, true, false);
        stuck.gateValidate = true;
        registry.register(stuck);
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/swap"));
            assertTrue(stuck.validating.await(5, TimeUnit.SECONDS), "validate did not start");
            assertEquals(503, client.readResponseHead().status());
            assertEquals(1, stuck.unreleased(), "released while validate still runs");
            stuck.unblock();
            awaitReleased(stuck);
        }
        assertEquals(List.of(), ledger.violations());
    }

    /** Stopping the server while a blocking validate runs keeps its instance until validate returned. */
    @Test
    void stoppingDuringValidateReleasesTheInstanceOnlyOnceValidateReturned() throws Exception {
        WebSocketServer server = start(Servers.local());
        ProbeBinding slow = binding("slow", 0, true, true, false);
        slow.gateValidate = true;
        registry.register(slow);
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/swap"));
            assertTrue(slow.validating.await(5, TimeUnit.SECONDS), "validate did not start");
            server.stop();
            client.expectEof();
            assertEquals(List.of(), ledger.violations());
            assertEquals(1, slow.unreleased(), "released while validate still runs");
            slow.unblock();
            awaitReleased(slow);
        }
        assertEquals(List.of(), ledger.violations());
    }

    private static void awaitReleased(ProbeBinding binding) throws InterruptedException {
        assertTrue(binding.awaitReleased(), "the instance was not released once validate returned");
    }
}

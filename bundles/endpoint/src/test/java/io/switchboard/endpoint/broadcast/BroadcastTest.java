package io.switchboard.endpoint.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.Connection;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.endpoint.broadcast.Subscribers.Member;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;

/** Groups and one-off broadcasts over real sockets, ws and wss, read by raw clients. */
class BroadcastTest {
    private final Broadcaster broadcaster = new Broadcasts();

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void everyMemberReceivesEveryMessageOnceInEachPublishersOrder(boolean tls) throws Exception {
        int publishers = 3;
        int perPublisher = 300;
        try (Subscribers world = new Subscribers(broadcaster.topic("news"), tls, Subscribers.settings())) {
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                members.add(world.join());
            }
            assertEquals(5, world.group.size());
            ExecutorService pool = Executors.newFixedThreadPool(publishers + members.size());
            try {
                List<Future<List<String>>> received = new ArrayList<>();
                for (Member member : members) {
                    received.add(pool.submit(() -> readTexts(member.client(), publishers * perPublisher)));
                }
                List<Future<?>> sent = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int publisher = p;
                    sent.add(pool.submit(() -> {
                        for (int n = 0; n < perPublisher; n++) {
                            assertEquals(5, world.group.send(publisher + ":" + n));
                        }
                    }));
                }
                for (Future<?> publisher : sent) {
                    publisher.get(20, TimeUnit.SECONDS);
                }
                for (Future<List<String>> texts : received) {
                    assertEachPublisherInOrder(texts.get(20, TimeUnit.SECONDS), publishers, perPublisher);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Every publisher's messages, each once, in the order it sent them. */
    static void assertEachPublisherInOrder(List<String> texts, int publishers, int perPublisher) {
        int[] next = new int[publishers];
        for (String text : texts) {
            String[] parts = text.split(":");
            int publisher = Integer.parseInt(parts[0]);
            assertEquals(next[publisher]++, Integer.parseInt(parts[1]), () -> "publisher " + publisher + " in " + texts);
        }
        for (int p = 0; p < publishers; p++) {
            assertEquals(perPublisher, next[p], "messages of publisher " + p);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aStalledMemberIsClosedAtItsCapAndNeverDelaysTheOthers(boolean tls) throws Exception {
        long cap = 256 * 1024;
        int size = 4096;
        int messages = 4000; // 16 MiB: far more than the cap and the sockets' buffers together
        int window = 16; // the publisher runs at most this far ahead of the readers: their queues stay small
        // A long close timeout: the 1008 Close waits behind the queue until the stalled client reads.
        WebSocketServer.Builder settings = Subscribers.settings().sendQueue(32 * 1024, 64 * 1024, cap)
                .closeTimeout(Duration.ofSeconds(20));
        try (Subscribers world = new Subscribers(broadcaster.group(), tls, settings)) {
            Member stalled = world.join(4096);
            List<Member> readers = List.of(world.join(), world.join());
            Semaphore readAhead = new Semaphore(window * readers.size());
            ExecutorService pool = Executors.newFixedThreadPool(readers.size());
            try {
                List<Future<Integer>> reading = new ArrayList<>();
                for (Member reader : readers) {
                    reading.add(pool.submit(() -> readNumbered(reader.client(), messages, size, readAhead)));
                }
                long mostQueued = 0;
                ByteBuffer message = ByteBuffer.allocate(size);
                for (int n = 0; n < messages; n++) {
                    assertTrue(readAhead.tryAcquire(readers.size(), 10, TimeUnit.SECONDS), "the readers stopped at " + n);
                    world.group.send(message.putInt(0, n));
                    mostQueued = Math.max(mostQueued, stalled.connection().bufferedAmount());
                }
                for (Future<Integer> reader : reading) {
                    assertEquals(messages, reader.get(20, TimeUnit.SECONDS));
                }
                // The readers have everything and the stalled client has not read a byte: its queue
                // was bounded by the cap (one message past it at most, then the sends were refused).
                assertTrue(mostQueued <= cap + size + 4, "queued " + mostQueued);
                assertFalse(stalled.connection().isOpen());
                assertEquals(2, world.group.send(ByteBuffer.allocate(size)), "sent to the readers only");
                Frame frame;
                do {
                    frame = stalled.client().readFrame();
                } while (!frame.isClose());
                assertEquals(1008, frame.closeCode());
                stalled.client().expectEof(); // the server is done after a violation; the client hangs up
                stalled.client().close();
                assertEquals(stalled.connection(), world.awaitDisconnect());
                assertEquals(2, world.group.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Reads binary messages numbered 0, 1, … and lets the publisher go on by one for each. */
    private static int readNumbered(RawWebSocketClient client, int count, int size, Semaphore readAhead) throws Exception {
        for (int n = 0; n < count; n++) {
            Frame frame = client.readFrame();
            assertEquals(Opcode.BINARY, frame.opcode());
            assertEquals(size, frame.payload().length);
            assertEquals(n, ByteBuffer.wrap(frame.payload()).getInt());
            readAhead.release();
        }
        return count;
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void membersThatEndLeaveByThemselves(boolean tls) throws Exception {
        try (Subscribers world = new Subscribers(broadcaster.group(), tls, Subscribers.settings())) {
            Member closing = world.join();
            Member hangingUp = world.join();
            Member aborted = world.join();
            Member staying = world.join();
            assertEquals(4, world.group.size());

            closing.client().sendClose(1000, "");
            assertEquals(closing.connection(), world.awaitDisconnect());
            assertEquals(3, world.group.size());
            hangingUp.client().hangUp();
            assertEquals(hangingUp.connection(), world.awaitDisconnect());
            assertEquals(2, world.group.size());
            aborted.connection().abort();
            assertEquals(aborted.connection(), world.awaitDisconnect());
            assertEquals(1, world.group.size());

            assertFalse(world.group.join(aborted.connection()), "a connection that ended joins nothing");
            assertEquals(1, world.group.send("still here"));
            assertEquals("still here", staying.client().readFrame().text());
            assertEquals(0, broadcaster.send(List.of(closing.connection(), aborted.connection()), "gone"));
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aMemberLeavingDuringSendsGetsAPrefixAndNothingAfterItLeft(boolean tls) throws Exception {
        int count = 2000;
        try (Subscribers world = new Subscribers(broadcaster.group(), tls, Subscribers.settings())) {
            Member leaving = world.join();
            Member staying = world.join();
            AtomicInteger started = new AtomicInteger(-1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<String>> stayed = pool.submit(() -> readTexts(staying.client(), count));
                Future<?> publisher = pool.submit(() -> {
                    for (int n = 0; n < count; n++) {
                        started.set(n);
                        world.group.send("0:" + n);
                    }
                });
                // Leave once the sends are under way, while they go on.
                while (started.get() < count / 4) {
                    Thread.onSpinWait();
                }
                assertTrue(world.group.leave(leaving.connection()));
                int lastBeforeLeaving = started.get();
                assertFalse(world.group.leave(leaving.connection()));
                publisher.get(20, TimeUnit.SECONDS);
                leaving.connection().send("end"); // queued behind anything the group queued for it
                assertEachPublisherInOrder(stayed.get(20, TimeUnit.SECONDS), 1, count);

                int received = 0;
                for (String text; !(text = leaving.client().readFrame().text()).equals("end"); received++) {
                    assertEquals("0:" + received, text);
                }
                assertTrue(received >= count / 4 && received <= lastBeforeLeaving + 1,
                        "received " + received + ", left after " + lastBeforeLeaving + " had started");
                assertEquals(1, world.group.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aOneOffSendReachesTheListedConnectionsOnly(boolean tls) throws Exception {
        try (Subscribers world = new Subscribers(broadcaster.group(), tls, Subscribers.settings())) {
            Member first = world.join();
            Member skipped = world.join();
            Member third = world.join();
            List<Connection> listed = List.of(first.connection(), third.connection());
            assertEquals(2, broadcaster.send(listed, "to two"));
            assertEquals(2, broadcaster.send(listed, ByteBuffer.wrap(new byte[] {1, 2, 3})));
            skipped.connection().send("direct");
            for (Member member : List.of(first, third)) {
                assertEquals("to two", member.client().readFrame().text());
                Frame binary = member.client().readFrame();
                assertEquals(Opcode.BINARY, binary.opcode());
                assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(binary.payload()[0], binary.payload()[1], binary.payload()[2]));
                assertEquals(3, binary.payload().length);
            }
            assertEquals("direct", skipped.client().readFrame().text(), "nothing came before it");
            assertThrows(IllegalArgumentException.class, () -> broadcaster.send(List.of(first.connection()), "\uD800"));
        }
    }

    static List<String> readTexts(RawWebSocketClient client, int count) throws Exception {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Frame frame = client.readFrame();
            assertEquals(Opcode.TEXT, frame.opcode(), frame::toString);
            texts.add(new String(frame.payload(), StandardCharsets.UTF_8));
        }
        return texts;
    }
}

package io.switchboard.endpoint.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * Broadcasts sent by a handler on the loop that also owns the members: the frames are noted in
 * the loop's shares and written at the end of the turn, several per write, and whatever a
 * member's socket does not take moves to its send queue. One loop, so every member is on the
 * publisher's loop; ws and wss, read by raw clients.
 *
 * <p>The publisher's text "burst N" makes its handler broadcast N numbered binary messages, of
 * sizes from a few bytes to past the loop's 64 KiB output buffer and arena, and then send each
 * member an ordinary message "after N", all in the same callback. With {@link #SMALL}, a burst of
 * seven fits in the arena, so that each member's frames of a turn go out from it in one write.
 */
class LoopBroadcastTest {
    private static final int[] SIZES = {7, 1000, 4096, 70_000, 200, 150_000, 65_530};
    /** Seven of these, with their headers, take 60,329 bytes: one stretch of the loop's 64 KiB arena. */
    private static final int[] SMALL = {7, 1000, 4096, 200, 9000, 30_000, 16_000};

    private final Group group = new Broadcasts().group();
    private final BlockingQueue<Connection> joined = new LinkedBlockingQueue<>();
    private final List<Connection> members = new CopyOnWriteArrayList<>();
    private final List<RawWebSocketClient> clients = new ArrayList<>();
    private WebSocketServer server;
    private boolean tls;
    private int[] sizes = SIZES;

    private void start(boolean tls) throws Exception {
        this.tls = tls;
        ConnectionHandler member = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                group.join(connection);
                members.add(connection);
                joined.add(connection);
            }
        };
        ConnectionHandler publisher = new ConnectionHandler() {
            private int next;

            @Override
            public void message(Connection connection, String text) {
                int count = Integer.parseInt(text.substring("burst ".length()));
                for (int i = 0; i < count; i++, next++) {
                    group.send(numbered(next, sizes));
                }
                for (Connection member : members) {
                    member.send("after " + next);
                }
            }
        };
        WebSocketServer.Builder settings = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .maxMessageSize(1 << 20).sendQueue(1 << 20, 2 << 20, 64 << 20)
                .route("/member", member).route("/publish", publisher);
        server = (tls ? settings.tls(TestKeys.server()) : settings).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (RawWebSocketClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void everyMemberGetsEveryMessageOnceInOrderAndTheSendsAfterThemAfterThem(boolean tls) throws Exception {
        start(tls);
        List<RawWebSocketClient> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(client("/member", 0));
        }
        awaitMembers(members.size());
        RawWebSocketClient publisher = client("/publish", 0);
        ExecutorService readers = Executors.newFixedThreadPool(members.size());
        try {
            List<Future<Integer>> reading = new ArrayList<>();
            for (RawWebSocketClient member : members) {
                reading.add(readers.submit(() -> readBursts(member, 20, 10, 0)));
            }
            for (int burst = 0; burst < 20; burst++) {
                publisher.sendText("burst 10");
            }
            for (Future<Integer> read : reading) {
                assertEquals(200, read.get(30, TimeUnit.SECONDS));
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aMemberThatDoesNotReadGetsTheRestLaterInOrderAndDelaysNoOne(boolean tls) throws Exception {
        start(tls);
        RawWebSocketClient stalled = client("/member", 4096);
        RawWebSocketClient reader = client("/member", 0);
        awaitMembers(2);
        RawWebSocketClient publisher = client("/publish", 0);
        int bursts = 30;
        for (int burst = 0; burst < bursts; burst++) {
            // One burst per turn of the loop: the reader has all of it before the next is asked for.
            publisher.sendText("burst 7");
            assertEquals(7 * (burst + 1), readBursts(reader, 1, 7, 7 * burst));
        }
        // About 8 MiB went to the stalled client, which has not read a byte: far more than its
        // socket holds, so at some turn its socket took part of that turn's frames only, and the
        // rest (a frame begun, frames not begun) moved to its send queue.
        assertEquals(7 * bursts, readBursts(stalled, bursts, 7, 0));
    }

    /**
     * As above, with each turn's frames in one stretch of the loop's arena, turns of one to seven
     * frames, so that a turn's stretch reaches past the one before: the stalled member's socket
     * takes part of a stretch, and the rest of it moves to its send queue, ahead of the turns after.
     */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aMemberThatDoesNotReadGetsTheRestOfAnArenaStretchLaterInOrder(boolean tls) throws Exception {
        sizes = SMALL;
        start(tls);
        RawWebSocketClient stalled = client("/member", 4096);
        RawWebSocketClient reader = client("/member", 0);
        awaitMembers(2);
        RawWebSocketClient publisher = client("/publish", 0);
        int bursts = 240; // about 7 MiB
        int read = 0;
        for (int burst = 0; burst < bursts; burst++) {
            publisher.sendText("burst " + (1 + burst % 7));
            read = readBursts(reader, 1, 1 + burst % 7, read);
        }
        int stalledRead = 0;
        for (int burst = 0; burst < bursts; burst++) {
            stalledRead = readBursts(stalled, 1, 1 + burst % 7, stalledRead);
        }
        assertEquals(read, stalledRead);
    }

    private RawWebSocketClient client(String path, int receiveBuffer) throws Exception {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client())
                : RawWebSocketClient.connect(server.port(), receiveBuffer);
        clients.add(client);
        client.upgrade(path);
        return client;
    }

    private void awaitMembers(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertNotNull(joined.poll(5, TimeUnit.SECONDS), "members joined: " + i);
        }
    }

    /**
     * Reads {@code bursts} bursts of {@code perBurst} numbered messages from {@code first} on,
     * each burst followed by its "after"; returns the next number.
     */
    private int readBursts(RawWebSocketClient client, int bursts, int perBurst, int first) throws Exception {
        int number = first;
        for (int burst = 0; burst < bursts; burst++) {
            for (int i = 0; i < perBurst; i++, number++) {
                Frame frame = client.readFrame();
                assertEquals(Opcode.BINARY, frame.opcode(), frame::toString);
                assertEquals(ByteBuffer.wrap(numbered(number, sizes).array()), ByteBuffer.wrap(frame.payload()), "message " + number);
            }
            assertEquals("after " + number, client.readFrame().text());
        }
        return number;
    }

    /** Message {@code n}: its size from {@code sizes}, its bytes from its number. */
    private static ByteBuffer numbered(int n, int[] sizes) {
        byte[] bytes = new byte[sizes[n % sizes.length]];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (n * 31 + i);
        }
        return ByteBuffer.wrap(bytes);
    }
}

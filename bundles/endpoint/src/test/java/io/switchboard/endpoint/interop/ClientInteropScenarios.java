package io.switchboard.endpoint.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.endpoint.interop.ClientSession.ClientClose;
import io.switchboard.testing.HandshakeRefusedException;

/**
 * The interop scenarios, run by a subclass per client library against a real server on a free
 * port of 127.0.0.1, with the default limits. {@code /echo} is served by a {@link RecordingHandler},
 * {@code /slow} by a {@link SlowEchoHandler} on a blocking route.
 */
abstract class ClientInteropScenarios {
    private static final int LIMIT = 1 << 20;
    private static final int SLOW_CONNECTIONS = 3;

    private final RecordingHandler echo = new RecordingHandler();
    private final SlowEchoHandler slow = new SlowEchoHandler(SLOW_CONNECTIONS);
    private WebSocketServer server;

    abstract ClientDriver client();

    @BeforeEach
    void startServer() throws IOException {
        server = WebSocketServer.builder().host("127.0.0.1").port(0)
                .route("/echo", echo)
                .blockingRoute("/slow", slow)
                .start();
    }

    @AfterEach
    void stopServerAndCheckEveryConnectionWasDisconnectedOnce() {
        server.stop(); // returns once every connection has ended, so no callback is still to come
        for (Connection connection : echo.connections) {
            assertEquals(1, echo.disconnectCalls.get(connection.id()).get(),
                    "disconnect calls for " + connection);
        }
        slow.disconnectCalls.forEach((id, calls) ->
                assertEquals(1, calls.get(), "disconnect calls for blocking connection " + id));
    }

    // ------------------------------------------------------------------ messages

    @Test
    void echoesText() throws Exception {
        ClientSession session = open();
        Await.done(session.sendText("hello, wörld ✓"));
        assertEquals("hello, wörld ✓", session.nextText());
    }

    @Test
    void echoesBinary() throws Exception {
        ClientSession session = open();
        byte[] data = randomBytes(1000, 1);
        Await.done(session.sendBinary(ByteBuffer.wrap(data.clone())));
        assertArrayEquals(data, session.nextBinary());
    }

    @Test
    void fragmentedMessageReachesTheHandlerAsOneMessage() throws Exception {
        ClientSession session = open();
        Await.done(session.sendTextInParts("frag", "men", "ted ✓"));
        assertEquals("fragmented ✓", Await.take(echo.texts));
        assertEquals("fragmented ✓", session.nextText());
    }

    @Test
    void binaryMessageJustUnderTheLimitRoundTrips() throws Exception {
        ClientSession session = open();
        byte[] data = randomBytes(LIMIT - 1, 2);
        Await.done(session.sendBinary(ByteBuffer.wrap(data.clone())));
        assertArrayEquals(data, session.nextBinary());
    }

    @Test
    void binaryMessageOfExactlyTheLimitRoundTrips() throws Exception {
        ClientSession session = open();
        byte[] data = randomBytes(LIMIT, 4);
        Await.done(session.sendBinary(ByteBuffer.wrap(data.clone())));
        assertArrayEquals(data, session.nextBinary());
    }

    @Test
    void multiByteTextJustUnderTheLimitRoundTrips() throws Exception {
        ClientSession session = open();
        String text = multiByteText(LIMIT - 1);
        Await.done(session.sendText(text));
        assertEquals(text, Await.take(echo.texts));
        assertEquals(text, session.nextText());
    }

    @Test
    void messageOverTheLimitIsClosedWith1009() throws Exception {
        ClientSession session = open();
        session.sendBinary(ByteBuffer.wrap(randomBytes(LIMIT + 1, 3))); // may fail once the server closes
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, session.awaitClose().code());
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, Await.take(echo.disconnects).code());
    }

    @Test
    void fragmentedMessageOverTheLimitIsClosedWith1009() throws Exception {
        ClientSession session = open();
        String half = "x".repeat(LIMIT / 2);
        session.sendTextInParts(half, half, "!"); // each frame is within the limit, the message is not
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, session.awaitClose().code());
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, Await.take(echo.disconnects).code());
        assertTrue(echo.texts.isEmpty(), "the handler got part of a message over the limit");
    }

    @Test
    void orderOfTenThousandMessagesIsKept() throws Exception {
        ClientSession session = open();
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            Await.done(session.sendText(Integer.toString(i)));
        }
        for (int i = 0; i < count; i++) {
            assertEquals(Integer.toString(i), session.nextText(), "echo number " + i);
        }
    }

    @Test
    void concurrentSendsThroughOneConnectionAllArriveIntact() throws Exception {
        ClientSession session = open();
        Connection connection = Await.take(echo.connected);
        int threads = 8;
        int perThread = 250;
        int pings = 100;
        ConcurrentLinkedQueue<CompletableFuture<Void>> sends = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    awaitUninterruptibly(start);
                    for (int i = 0; i < perThread; i++) {
                        String message = numbered(thread, i);
                        sends.add((i % 2 == 0 ? connection.send(message)
                                : connection.send(ByteBuffer.wrap(message.getBytes(UTF_8)))).toCompletableFuture());
                    }
                });
            }
            pool.execute(() -> {
                awaitUninterruptibly(start);
                for (int k = 0; k < pings; k++) {
                    sends.add(connection.ping(ByteBuffer.wrap(("ping-" + k).getBytes(UTF_8))).toCompletableFuture());
                }
            });
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(Await.SECONDS, TimeUnit.SECONDS), "senders did not finish");
        } finally {
            pool.shutdownNow();
        }
        Await.done(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));

        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            Object received = session.nextMessage();
            String message = received instanceof byte[] bytes ? new String(bytes, UTF_8) : (String) received;
            int thread = Integer.parseInt(message.substring(0, message.indexOf('-')));
            assertEquals(numbered(thread, next[thread]), message, "message " + n + ", in the order of thread " + thread);
            assertEquals(next[thread] % 2 == 0, received instanceof String, "type of message " + message.substring(0, message.indexOf(':')));
            next[thread]++;
        }
        Set<String> pingsReceived = new HashSet<>();
        for (int k = 0; k < pings; k++) {
            pingsReceived.add(new String(session.nextPing(), UTF_8));
        }
        assertEquals(IntStream.range(0, pings).mapToObj(k -> "ping-" + k).collect(Collectors.toSet()), pingsReceived);
    }

    // ------------------------------------------------------------------ ping and pong

    @Test
    void pingFromTheClientGetsPong() throws Exception {
        ClientSession session = open();
        Await.done(session.ping(ByteBuffer.wrap("are you there".getBytes(UTF_8))));
        assertArrayEquals("are you there".getBytes(UTF_8), session.nextPong());
    }

    @Test
    void pingFromTheServerIsAnsweredToTheHandler() throws Exception {
        ClientSession session = open();
        Connection connection = Await.take(echo.connected);
        Await.done(connection.ping(ByteBuffer.wrap("from server".getBytes(UTF_8))).toCompletableFuture());
        assertArrayEquals("from server".getBytes(UTF_8), session.nextPing());
        assertArrayEquals("from server".getBytes(UTF_8), Await.take(echo.pongs));
    }

    /** A pong the server sends unasked (a heartbeat) reaches the client; one over 125 bytes is refused at the call. */
    @Test
    void unsolicitedPongFromTheServerReachesTheClient() throws Exception {
        ClientSession session = open();
        Connection connection = Await.take(echo.connected);
        Await.done(connection.pong(ByteBuffer.wrap("heartbeat".getBytes(UTF_8))).toCompletableFuture());
        assertArrayEquals("heartbeat".getBytes(UTF_8), session.nextPong());
        assertThrows(IllegalArgumentException.class, () -> connection.pong(ByteBuffer.allocate(126)));
    }

    // ------------------------------------------------------------------ closing

    @ParameterizedTest
    @ValueSource(ints = {1000, 4000})
    void clientCloseStatusReachesTheHandlerAndIsEchoed(int code) throws Exception {
        ClientSession session = open();
        Await.take(echo.connected);
        String reason = "leaving " + code + " ✓";
        session.close(code, reason); // not awaited: Jetty may fail it once the server's answer ends the connection
        assertEquals(code, session.awaitClose().code(), "code of the echoed close");
        assertEquals(CloseStatus.of(code, reason), Await.take(echo.disconnects));
    }

    @Test
    void serverCloseReachesTheClient() throws Exception {
        ClientSession session = open();
        Await.take(echo.connected).close(4001, "bye");
        assertEquals(new ClientClose(4001, "bye"), session.awaitClose());
        assertEquals(4001, Await.take(echo.disconnects).code(), "the client answers with the same code");
    }

    @Test
    void droppedTcpConnectionIsReportedOnceAs1006() throws Exception {
        ClientSession session = open();
        Connection connection = Await.take(echo.connected);
        session.drop();
        assertEquals(CloseStatus.of(CloseStatus.ABNORMAL), Await.take(echo.disconnects));
        server.stop();
        assertEquals(1, echo.disconnectCalls.get(connection.id()).get());
    }

    @Test
    void handlerExceptionClosesWith1011AndIsReportedToFailure() throws Exception {
        ClientSession session = open();
        Await.done(session.sendText(RecordingHandler.FAIL));
        assertEquals(CloseStatus.INTERNAL_ERROR, session.awaitClose().code());
        Throwable failure = Await.take(echo.failures);
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals("deliberate failure in message()", failure.getMessage());
        assertEquals(CloseStatus.INTERNAL_ERROR, Await.take(echo.disconnects).code());
    }

    @Test
    void stoppingTheServerClosesEveryClientWith1001() throws Exception {
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(open());
            Await.take(echo.connected);
        }
        ClientSession blocking = client().connect(uri("/slow"));
        Await.done(blocking.sendText("ready"));
        assertEquals("ready", blocking.nextText());
        sessions.add(blocking);
        server.stop();
        for (ClientSession session : sessions) {
            assertEquals(CloseStatus.GOING_AWAY, session.awaitClose().code());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(CloseStatus.GOING_AWAY, Await.take(echo.disconnects).code());
        }
        assertEquals(1, slow.disconnectCalls.size(), "blocking connections");
    }

    // ------------------------------------------------------------------ handshake

    @Test
    void selectedSubprotocolReachesTheClient() throws Exception {
        echo.validator = handshake -> handshake.selectSubprotocol("b");
        ClientSession session = open("a", "b");
        assertEquals(List.of("a", "b"), Await.take(echo.handshakes).offeredSubprotocols());
        assertEquals("b", session.subprotocol());
        assertEquals("b", Await.take(echo.connected).subprotocol());
    }

    @Test
    void noSubprotocolSelectedMeansNone() throws Exception {
        ClientSession session = open("a", "b");
        assertEquals("", session.subprotocol());
        assertEquals("", Await.take(echo.connected).subprotocol());
    }

    @Test
    void rejectedHandshakeFailsWithTheStatusAndHeaders() throws Exception {
        echo.validator = handshake -> {
            handshake.addResponseHeader("X-Reason", "no entry");
            handshake.reject(403, "forbidden");
        };
        HandshakeRefusedException rejected = assertThrows(HandshakeRefusedException.class, () -> client().connect(uri("/echo")));
        assertEquals(403, rejected.status());
        assertEquals(Optional.of("no entry"), rejected.header("X-Reason"));
        assertTrue(echo.connected.isEmpty(), "connect called for a rejected handshake");
    }

    @Test
    void unknownPathGets404() {
        HandshakeRefusedException rejected = assertThrows(HandshakeRefusedException.class, () -> client().connect(uri("/nowhere")));
        assertEquals(404, rejected.status());
    }

    // ------------------------------------------------------------------ blocking handlers

    @Test
    void blockingRouteKeepsOrderNeverOverlapsAndServesConnectionsInParallel() throws Exception {
        int messages = 50;
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < SLOW_CONNECTIONS; i++) {
            sessions.add(client().connect(uri("/slow")));
        }
        for (ClientSession session : sessions) {
            Await.done(session.sendText(SlowEchoHandler.MEET));
            for (int i = 0; i < messages; i++) {
                Await.done(session.sendText(Integer.toString(i)));
            }
        }
        List<String> expected = new ArrayList<>(List.of(SlowEchoHandler.MEET));
        IntStream.range(0, messages).mapToObj(Integer::toString).forEach(expected::add);
        for (ClientSession session : sessions) {
            for (String message : expected) {
                assertEquals(message, session.nextText());
            }
        }
        assertEquals(0, slow.missedMeetings.get(), "connections whose callbacks did not run in parallel with the others");
        assertEquals(0, slow.overlaps.get(), "callbacks of one connection that overlapped");
        assertEquals(SLOW_CONNECTIONS, slow.received.size());
        slow.received.values().forEach(received -> assertEquals(expected, received));
    }

    // ------------------------------------------------------------------ helpers

    private ClientSession open(String... subprotocols) throws Exception {
        ClientSession session = client().connect(uri("/echo"), subprotocols);
        assertNotNull(session);
        return session;
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Text of exactly {@code utf8Bytes} bytes in UTF-8, with 1-, 2-, 3- and 4-byte characters. */
    private static String multiByteText(int utf8Bytes) {
        String unit = "aé€😀"; // 1 + 2 + 3 + 4 bytes
        StringBuilder text = new StringBuilder(unit.repeat(utf8Bytes / 10));
        text.append("x".repeat(utf8Bytes % 10));
        assertEquals(utf8Bytes, text.toString().getBytes(UTF_8).length);
        return text.toString();
    }

    /**
     * Message {@code i} of sender {@code thread}: a header, then a body of up to 4 KiB, or 64 KiB
     * for every 25th, so that some writes are short. All of them together stay below the send
     * queue's cap, even if the client read nothing until the last was queued.
     */
    private static String numbered(int thread, int i) {
        String fill = String.valueOf((char) ('a' + thread));
        int size = i % 25 == 24 ? 64 * 1024 : (i * 97) % 4096;
        return thread + "-" + i + ":" + fill.repeat(size) + ":end";
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

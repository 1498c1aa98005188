package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * {@link Connection#pauseReading()} and {@code resumeReading()} over real sockets, plain and TLS,
 * inline and blocking. The client writes its frames in one go; what the server must not deliver
 * before the resume is checked twice: a handler records any message that starts while the test
 * has not resumed yet, and a marker that the test sends from its own thread while the connection
 * is paused reaches the client before any answer to what was held.
 */
class PauseReadingTest {
    private static final long IDLE_MILLIS = 300;

    /** Echoes, pauses on "pause", records what it was called with and whether the test had resumed by then. */
    static final class Pausing implements ConnectionHandler {
        final String name;
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final List<String> beforeResume = new CopyOnWriteArrayList<>();
        final CompletableFuture<CloseStatus> ended = new CompletableFuture<>();
        final CompletableFuture<Void> adopted = new CompletableFuture<>();
        /** Set by the test right before it resumes: a message callback that starts earlier is a violation, unless it is an expected one. */
        volatile boolean resumed;
        volatile int expectedBeforeResume;

        Pausing(String name, int expectedBeforeResume) {
            this.name = name;
            this.expectedBeforeResume = expectedBeforeResume;
        }

        @Override
        public void connect(Connection connection) {
            opened.complete(connection);
        }

        @Override
        public void adopt(Connection connection) {
            opened.complete(connection);
            messages.add("adopt");
            adopted.complete(null);
        }

        @Override
        public void message(Connection connection, String text) {
            if (!resumed) {
                beforeResume.add(text);
            }
            messages.add(text);
            if (text.equals("pause")) {
                connection.pauseReading(); // before the answer: once the client has it, the pause has happened
            }
            connection.send(name + ":" + text);
        }

        @Override
        public void pong(Connection connection, ByteBuffer payload) {
            message(connection, "pong");
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            ended.complete(status);
        }

        void resumeFromTestThread(Connection connection) {
            assertEquals(expectedBeforeResume, beforeResume.size(), "messages delivered while paused: " + beforeResume);
            resumed = true;
            connection.resumeReading();
        }
    }

    private static WebSocketServer.Builder server(boolean tls) {
        WebSocketServer.Builder builder = Servers.local();
        return tls ? builder.tls(TestKeys.server()) : builder;
    }

    private static WebSocketServer start(WebSocketServer.Builder builder, boolean blocking, ConnectionHandler handler) throws Exception {
        return (blocking ? builder.blockingRoute("/p", handler) : builder.route("/p", handler)).start();
    }

    private static RawWebSocketClient open(WebSocketServer server, boolean tls) throws Exception {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client()) : RawWebSocketClient.connect(server.port());
        client.upgrade("/p");
        return client;
    }

    private static void expectText(RawWebSocketClient client, String text) throws Exception {
        Frame frame = client.readFrame();
        assertEquals(text, frame.opcode() == Frames.TEXT ? frame.text() : frame.toString());
    }

    private static String describe(Frame frame) {
        return frame.opcode() == Frames.TEXT ? frame.text()
                : frame.opcode() == Frames.PONG && frame.payload().length == 1 ? "pong " + frame.payload()[0] : frame.toString();
    }

    /** The test's own message while the connection is paused: it arrives before anything the pause held. */
    private static void marker(Connection connection, RawWebSocketClient client) throws Exception {
        connection.send("marker");
        expectText(client, "marker");
    }

    @ParameterizedTest(name = "tls={0}, blocking={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void aPauseInACallbackHoldsTheNextMessagesUntilAnotherThreadResumes(boolean tls, boolean blocking) throws Exception {
        Pausing handler = new Pausing("h", 2);
        try (WebSocketServer server = start(server(tls), blocking, handler);
             RawWebSocketClient client = open(server, tls)) {
            Connection connection = handler.opened.get(5, TimeUnit.SECONDS);
            client.send(Frames.concat(client.textFrame("m1"), client.textFrame("pause"), client.textFrame("m2"), client.textFrame("m3")));
            expectText(client, "h:m1");
            expectText(client, "h:pause");
            marker(connection, client);
            connection.pauseReading(); // idempotent: a second pause changes nothing, one resume ends both
            handler.resumeFromTestThread(connection);
            expectText(client, "h:m2");
            expectText(client, "h:m3");
            client.sendText("m4"); // reading is on again
            expectText(client, "h:m4");
            assertEquals(List.of("m1", "pause", "m2", "m3", "m4"), List.copyOf(handler.messages));
            connection.resumeReading(); // not paused: no effect
            client.sendClose(1000, "");
            assertEquals(1000, client.readUntilClose().closeCode());
            assertEquals(1000, handler.ended.get(5, TimeUnit.SECONDS).code());
        }
    }

    /**
     * Frames are taken in order: a ping read before the pause is answered at once; a ping and a
     * Close frame behind the pause wait with the message before them and are answered after the
     * resume, in order.
     */
    @ParameterizedTest(name = "tls={0}, blocking={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void pingsAndTheCloseBehindThePauseAreAnsweredAfterTheResume(boolean tls, boolean blocking) throws Exception {
        Pausing handler = new Pausing("h", 1);
        try (WebSocketServer server = start(server(tls), blocking, handler);
             RawWebSocketClient client = open(server, tls)) {
            Connection connection = handler.opened.get(5, TimeUnit.SECONDS);
            client.send(Frames.concat(client.frame(Frames.PING, new byte[] {1}), client.textFrame("pause"),
                    client.frame(Frames.PING, new byte[] {2}), client.textFrame("m2"), client.closeFrame(1000, "done")));
            // The first pong may overtake the echo: control frames jump the send queue.
            List<String> beforeMarker = List.of(describe(client.readFrame()), describe(client.readFrame()));
            assertTrue(beforeMarker.containsAll(List.of("pong 1", "h:pause")), beforeMarker::toString);
            marker(connection, client); // neither the second pong nor the Close frame came before it
            handler.resumeFromTestThread(connection);
            assertEquals("pong 2", describe(client.readFrame()));
            expectText(client, "h:m2");
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(1000, close.closeCode());
            client.expectEof();
            assertEquals(1000, handler.ended.get(5, TimeUnit.SECONDS).code());
        }
    }

    /** Nothing is read while paused, so a paused connection is idle however much its client sends. */
    @ParameterizedTest(name = "tls={0}, blocking={1}")
    @CsvSource({"false, false", "true, true"})
    void theIdleTimeoutStillClosesAPausedConnection(boolean tls, boolean blocking) throws Exception {
        Pausing handler = new Pausing("h", 1);
        try (WebSocketServer server = start(server(tls).idleTimeout(Duration.ofMillis(IDLE_MILLIS)), blocking, handler);
             RawWebSocketClient client = open(server, tls)) {
            client.sendText("pause");
            expectText(client, "h:pause");
            client.sendText("waits in TCP");
            Frame close = client.readFrame();
            assertTrue(close.isClose(), close::toString);
            assertEquals(1001, close.closeCode());
            assertEquals("idle timeout", close.closeReason());
            client.sendClose(1001, "");
            client.expectEof();
            assertEquals(1001, handler.ended.get(5, TimeUnit.SECONDS).code());
            assertEquals(List.of("pause"), List.copyOf(handler.messages)); // a closing connection delivers no message
        }
    }

    /** A close the server starts reads again for the peer's answer; a peer that does not answer meets the close timeout. */
    @ParameterizedTest(name = "tls={0}, blocking={1}, peer answers={2}")
    @CsvSource({"false, false, true", "false, true, false", "true, false, false", "true, true, true"})
    void aCloseStartedWhilePausedCompletesOrTimesOut(boolean tls, boolean blocking, boolean peerAnswers) throws Exception {
        Pausing handler = new Pausing("h", 1);
        try (WebSocketServer server = start(server(tls), blocking, handler);
             RawWebSocketClient client = open(server, tls)) {
            Connection connection = handler.opened.get(5, TimeUnit.SECONDS);
            client.send(Frames.concat(client.textFrame("pause"), client.textFrame("held")));
            expectText(client, "h:pause");
            marker(connection, client);
            connection.close(4000, "bye");
            Frame close = client.readFrame();
            assertEquals(4000, close.closeCode(), close::toString);
            long closedAt = System.nanoTime();
            if (peerAnswers) {
                client.sendClose(4000, "");
                client.expectEof();
                assertEquals(4000, handler.ended.get(5, TimeUnit.SECONDS).code());
            } else {
                client.expectEof();
                long after = RawWebSocketClient.millisSince(closedAt);
                assertTrue(after >= Servers.CLOSE_TIMEOUT.toMillis() - 100, "closed after " + after + " ms");
                assertEquals(CloseStatus.ABNORMAL, handler.ended.get(5, TimeUnit.SECONDS).code());
            }
            assertEquals(List.of("pause"), List.copyOf(handler.messages)); // a closing connection delivers no message: "held" is dropped
        }
    }

    /** The pause belongs to the connection: the handler that takes it over sees adopt, then no message until the resume. */
    @ParameterizedTest(name = "tls={0}, blocking={1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void aHandlerThatAdoptsAPausedConnectionGetsNoMessageUntilTheResume(boolean tls, boolean blocking) throws Exception {
        Pausing first = new Pausing("first", 1);
        Pausing second = new Pausing("second", 0);
        HandlerBinding firstBinding = HandlerBinding.of(first, blocking);
        HandlerBinding secondBinding = HandlerBinding.of(second, blocking);
        try (WebSocketServer server = server(tls).router(path -> Route.to(firstBinding)).start();
             RawWebSocketClient client = open(server, tls)) {
            Connection connection = first.opened.get(5, TimeUnit.SECONDS);
            client.send(Frames.concat(client.textFrame("pause"), client.textFrame("m2")));
            expectText(client, "first:pause");
            server.handOff(firstBinding, path -> secondBinding);
            second.adopted.get(5, TimeUnit.SECONDS);
            marker(connection, client);
            second.resumeFromTestThread(connection);
            expectText(client, "second:m2");
            assertEquals(List.of("pause"), List.copyOf(first.messages));
            assertEquals(List.of("adopt", "m2"), List.copyOf(second.messages));
        }
    }
}

package io.switchboard.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * Issue 14, item 2, over real sockets: a broadcast compresses a message once for all the
 * connections whose permessage-deflate has no server context takeover, however many there are
 * and wherever they stand among the others, while each connection with context takeover
 * compresses it with its own compressor; every subscriber inflates every message, in order.
 * The count is {@link SharedMessage#compressions()}, hence this package.
 */
class BroadcastCompressesOnceTest {
    private static final String NO_TAKEOVER = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover";
    private static final String TAKEOVER = "Sec-WebSocket-Extensions: permessage-deflate";
    /** Below the endpoint's compression threshold (256 bytes): sent plain to everyone. */
    private static final String SHORT = "short: sent as it is";

    private enum Kind { SHARED_FORM, OWN_CONTEXT, PLAIN }

    private record Subscriber(Kind kind, RawWebSocketClient client, Connection connection) {
    }

    /** A message as sent, and as each subscriber must find it after inflating. */
    private record Sent(int opcode, byte[] bytes) {
        boolean compressible() {
            return bytes.length >= 256;
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aBroadcastCompressesOnceForEveryConnectionWithoutContextTakeover(boolean tls) throws Exception {
        BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                connected.add(connection);
            }
        };
        WebSocketServer.Builder settings = WebSocketServer.builder().host("127.0.0.1").port(0).loops(2)
                .perMessageDeflate(true).deflateContextTakeover(true).closeTimeout(Duration.ofMillis(500)).route("/fanout", handler);
        WebSocketServer server = (tls ? settings.tls(TestKeys.server()) : settings).start();
        List<Subscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                subscribers.add(join(server, tls, connected, Kind.SHARED_FORM, NO_TAKEOVER));
            }
            for (int i = 0; i < 6; i++) {
                subscribers.add(join(server, tls, connected, Kind.OWN_CONTEXT, TAKEOVER));
            }
            for (int i = 0; i < 2; i++) {
                subscribers.add(join(server, tls, connected, Kind.PLAIN));
            }
            Collections.shuffle(subscribers, new Random(14)); // the kinds interleave in the order of sending
            List<Connection> everyone = subscribers.stream().map(Subscriber::connection).toList();
            List<Connection> ownContextOnly = subscribers.stream()
                    .filter(s -> s.kind() == Kind.OWN_CONTEXT).map(Subscriber::connection).toList();

            Sent twice = text(letters(1500, new Random(1)));
            byte[] binary = letters(3000, new Random(2)).getBytes(StandardCharsets.US_ASCII);
            List<Sent> toEveryone = List.of(twice, text(letters(2000, new Random(3))), twice, text(SHORT),
                    new Sent(Opcode.BINARY, binary));
            for (Sent sent : toEveryone) {
                SharedMessage message = sent.opcode() == Opcode.TEXT
                        ? SharedMessage.text(new String(sent.bytes(), StandardCharsets.UTF_8))
                        : SharedMessage.binary(ByteBuffer.wrap(sent.bytes()));
                assertEquals(everyone.size(), ConnectionGroup.sendTo(everyone, message));
                assertEquals(sent.compressible() ? 1 : 0, message.compressions(),
                        "compressed once for the 24 connections without context takeover");
            }
            Sent ownOnly = text(letters(1000, new Random(4)));
            SharedMessage toOwnContexts = SharedMessage.text(new String(ownOnly.bytes(), StandardCharsets.UTF_8));
            assertEquals(ownContextOnly.size(), ConnectionGroup.sendTo(ownContextOnly, toOwnContexts));
            assertEquals(0, toOwnContexts.compressions(), "connections with context takeover compress it themselves");

            Map<Integer, byte[]> sharedForms = new HashMap<>();
            for (Subscriber subscriber : subscribers) {
                switch (subscriber.kind()) {
                    case SHARED_FORM -> readSharedForms(subscriber, toEveryone, sharedForms);
                    case OWN_CONTEXT -> readOwnContext(subscriber, toEveryone, ownOnly);
                    case PLAIN -> {
                        for (Sent sent : toEveryone) {
                            assertPlain(subscriber.client().readFrame(), sent);
                        }
                    }
                }
            }
            assertEquals(3, sharedForms.size(), "one shared form for each of the three compressible messages");
        } finally {
            for (Subscriber subscriber : subscribers) {
                subscriber.client().close();
            }
            server.stop();
        }
    }

    /**
     * Each message compressed on its own (a fresh inflater reads it) and byte for byte the same
     * for every such subscriber, and for both copies of the message sent twice.
     */
    private static void readSharedForms(Subscriber subscriber, List<Sent> sent, Map<Integer, byte[]> sharedForms)
            throws Exception {
        for (int i = 0; i < sent.size(); i++) {
            Frame frame = subscriber.client().readFrame();
            if (!sent.get(i).compressible()) {
                assertPlain(frame, sent.get(i));
                continue;
            }
            assertTrue(frame.rsv1(), "message " + i + " compressed");
            assertEquals(sent.get(i).opcode(), frame.opcode());
            assertArrayEquals(sent.get(i).bytes(), inflate(new Inflater(true), frame), "message " + i);
            int firstCopy = sent.indexOf(sent.get(i)); // the message sent twice is one Sent: one shared form
            byte[] shared = sharedForms.computeIfAbsent(firstCopy, any -> frame.payload());
            assertArrayEquals(shared, frame.payload(), "message " + i + ": the same bytes for every subscriber");
        }
    }

    /**
     * The connection's own compressor: one inflater keeps its context across messages, and the
     * copy of a message sent twice refers back to the first copy, so it is far shorter.
     */
    private static void readOwnContext(Subscriber subscriber, List<Sent> sent, Sent ownOnly) throws Exception {
        Inflater context = new Inflater(true);
        int[] lengths = new int[sent.size()];
        List<Sent> all = new ArrayList<>(sent);
        all.add(ownOnly);
        for (int i = 0; i < all.size(); i++) {
            Frame frame = subscriber.client().readFrame();
            if (!all.get(i).compressible()) {
                assertPlain(frame, all.get(i));
                continue;
            }
            assertTrue(frame.rsv1(), "message " + i + " compressed");
            assertEquals(all.get(i).opcode(), frame.opcode());
            assertArrayEquals(all.get(i).bytes(), inflate(context, frame), "message " + i);
            if (i < lengths.length) {
                lengths[i] = frame.payload().length;
            }
        }
        assertTrue(lengths[2] < lengths[0] / 4, "the second copy refers back to the first in this connection's context: "
                + lengths[2] + " bytes after " + lengths[0]);
    }

    private static void assertPlain(Frame frame, Sent sent) {
        assertFalse(frame.rsv1());
        assertEquals(sent.opcode(), frame.opcode());
        assertArrayEquals(sent.bytes(), frame.payload());
    }

    private static Subscriber join(WebSocketServer server, boolean tls, BlockingQueue<Connection> connected, Kind kind,
            String... extraFields) throws Exception {
        RawWebSocketClient client = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client())
                : RawWebSocketClient.connect(server.port());
        try {
            String extensions = client.upgrade("/fanout", extraFields).header("Sec-WebSocket-Extensions").orElse("");
            assertEquals(kind != Kind.PLAIN, extensions.startsWith("permessage-deflate"), extensions);
            assertEquals(kind == Kind.SHARED_FORM, extensions.contains("server_no_context_takeover"), extensions);
            Connection connection = connected.poll(5, TimeUnit.SECONDS);
            if (connection == null) {
                throw new AssertionError("the handler was not told of the connection");
            }
            return new Subscriber(kind, client, connection);
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private static Sent text(String text) {
        return new Sent(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Random letters: text that compresses, but not to nothing. */
    private static String letters(int length, Random random) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(8)));
        }
        return text.toString();
    }

    /** RFC 7692 §7.2.2: the stripped {@code 00 00 FF FF} goes back on before inflating. */
    private static byte[] inflate(Inflater inflater, Frame frame) throws DataFormatException {
        byte[] payload = frame.payload();
        byte[] input = new byte[payload.length + 4];
        System.arraycopy(payload, 0, input, 0, payload.length);
        input[payload.length + 2] = (byte) 0xFF;
        input[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}

package io.switchboard.endpoint.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.Opcode;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * {@code server_max_window_bits} from 8 to 15, honoured on the wire: the offer the Autobahn
 * TestSuite makes (cases 13.3 to 13.6) is accepted, and every echo the server compresses is
 * inflated here by {@link DeflateWalk}, which checks that no back-reference reaches further than
 * 2<sup>bits</sup> bytes, nor (below 15, where the server keeps no context) before the message's
 * first byte; every echo longer than the window comes back uncompressed. The messages repeat their
 * first bytes at their end, so that a compressor with a wider reach would use it.
 */
class WindowBitsOverSocketTest {
    private static final int COMPRESSION_THRESHOLD = 256;

    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void everyCompressedEchoStaysWithinTheWindowAndLongerOnesGoUncompressed(int bits) throws Exception {
        int window = 1 << bits;
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .closeTimeout(Duration.ofMillis(500)).perMessageDeflate(true).deflateContextTakeover(true)
                .route("/echo", new ConnectionHandler() {
                    @Override
                    public void message(Connection connection, String text) {
                        connection.send(text);
                    }
                }).start();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port())) {
            client.send(UpgradeRequest.to("/echo", "Sec-WebSocket-Extensions: permessage-deflate;"
                    + " client_no_context_takeover; client_max_window_bits; server_max_window_bits=" + bits));
            RawResponse head = client.readResponseHead();
            UpgradeRequest.assertSwitchingProtocols(head);
            String agreed = bits < 15
                    ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=" + bits
                    : "permessage-deflate; client_no_context_takeover; server_max_window_bits=15";
            assertEquals(List.of(agreed), head.headers("Sec-WebSocket-Extensions"), head::toString);

            Random random = new Random(bits);
            DeflateWalk connectionWalk = new DeflateWalk(); // with context takeover (15), history spans messages
            int compressed = 0;
            int furthest = 0;
            for (int length : new TreeSet<>(List.of(COMPRESSION_THRESHOLD - 1, COMPRESSION_THRESHOLD, window - 1, window,
                    window + 1, 2 * window, 3_000, 40_000))) {
                String text = message(length, random);
                client.sendText(text);
                Frame first = client.readFrame();
                byte[] payload = wholeMessage(client, first);
                boolean expectCompressed = length >= COMPRESSION_THRESHOLD && (bits == 15 || length <= window);
                assertEquals(expectCompressed, first.rsv1(), "RSV1 of the echo of " + length + " bytes");
                if (!first.rsv1()) {
                    assertEquals(text, new String(payload, StandardCharsets.UTF_8));
                    continue;
                }
                DeflateWalk walk = bits < 15 ? new DeflateWalk() : connectionWalk;
                assertEquals(text, new String(walk.message(payload), StandardCharsets.UTF_8), "echo of " + length + " bytes");
                assertTrue(walk.maxDistance() <= window,
                        "a back-reference of " + walk.maxDistance() + " bytes in a " + length + "-byte message, window " + window);
                furthest = Math.max(furthest, walk.maxDistance());
                compressed++;
            }
            assertTrue(compressed > 0, "something was compressed");
            // The walk does see far references: the repeated head reaches past half the window.
            assertTrue(furthest > window / 2, "the furthest reference was " + furthest + " bytes");
        } finally {
            server.stop();
        }
    }

    /** Random letters whose first bytes come again at the end: a reference as far back as the message allows. */
    private static String message(int length, Random random) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        int repeated = Math.min(64, length / 4);
        System.arraycopy(chars, 0, chars, length - repeated, repeated);
        return new String(chars);
    }

    private static byte[] wholeMessage(RawWebSocketClient client, Frame first) throws IOException {
        assertEquals(Opcode.TEXT, first.opcode(), first::toString);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(first.payload());
        for (Frame frame = first; !frame.fin(); ) {
            frame = client.readFrame();
            assertEquals(Opcode.CONTINUATION, frame.opcode(), frame::toString);
            payload.writeBytes(frame.payload());
        }
        return payload.toByteArray();
    }
}

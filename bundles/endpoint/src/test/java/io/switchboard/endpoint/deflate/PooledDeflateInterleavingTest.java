package io.switchboard.endpoint.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.DecoderLimits;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.codec.Role;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * Many connections share their loop's pooled deflaters and inflaters, message by message, while
 * other threads compress on them too: a seeded schedule sends compressed messages of random sizes
 * on twelve connections of one loop (without context takeover, with a 9-bit window, and with
 * context takeover, which keeps its own), and the handler echoes half of them from its own
 * thread and half from four worker threads at once. Every echo must decode to what was sent
 * (workers may reorder a connection's echoes, so each connection's echoes are compared as a
 * multiset), and none longer than a 9-bit window may come back compressed.
 */
@Timeout(60)
class PooledDeflateInterleavingTest {
    private static final int ROUNDS = 200;
    private static final String[] OFFERS = {
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
            "permessage-deflate"};
    private static final PerMessageDeflate[] AGREED = {
            new PerMessageDeflate(true, true), new PerMessageDeflate(true, true, 9), new PerMessageDeflate(false, false)};

    @Test
    void everyEchoDecodesToWhatWasSent() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .closeTimeout(Duration.ofMillis(500)).perMessageDeflate(true).deflateContextTakeover(true)
                .route("/echo", new ConnectionHandler() {
                    @Override
                    public void message(Connection connection, String text) {
                        if (text.charAt(0) == 'w') {
                            workers.execute(() -> connection.send(text));
                        } else {
                            connection.send(text);
                        }
                    }
                }).start();
        List<RawWebSocketClient> clients = new ArrayList<>();
        try {
            Random random = new Random(7692);
            int connections = 12;
            List<MessageDecoder> decoders = new ArrayList<>();
            List<Map<String, Integer>> outstanding = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                RawWebSocketClient client = RawWebSocketClient.connect(server.port());
                client.send(UpgradeRequest.to("/echo", "Sec-WebSocket-Extensions: " + OFFERS[i % OFFERS.length]));
                RawResponse head = client.readResponseHead();
                UpgradeRequest.assertSwitchingProtocols(head);
                clients.add(client);
                decoders.add(new MessageDecoder(Role.CLIENT, DecoderLimits.DEFAULT, AGREED[i % AGREED.length]));
                outstanding.add(new HashMap<>());
            }
            MessageDeflater clientDeflater = new MessageDeflater(true, Deflater.DEFAULT_COMPRESSION);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                order.add(i);
            }
            for (int round = 0; round < ROUNDS; round++) {
                Collections.shuffle(order, random);
                int[] sent = new int[connections];
                for (int i : order) {
                    sent[i] = random.nextInt(4);
                    for (int m = 0; m < sent[i]; m++) {
                        String text = text(random);
                        outstanding.get(i).merge(text, 1, Integer::sum);
                        ByteBuffer deflated = clientDeflater.deflate(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                        byte[] payload = new byte[deflated.remaining()];
                        deflated.get(payload);
                        clients.get(i).send(clients.get(i).frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.TEXT, payload));
                    }
                }
                for (int i : order) {
                    for (int m = 0; m < sent[i]; m++) {
                        String echo = readEcho(clients.get(i), decoders.get(i), i % OFFERS.length == 1);
                        assertTrue(outstanding.get(i).containsKey(echo),
                                "connection " + i + " got an echo of " + echo.length() + " bytes that it is not waiting for");
                        outstanding.get(i).computeIfPresent(echo, (text, n) -> n == 1 ? null : n - 1);
                    }
                }
            }
            for (int i = 0; i < connections; i++) {
                assertEquals(Map.of(), outstanding.get(i), "echoes missing on connection " + i);
            }
        } finally {
            for (RawWebSocketClient client : clients) {
                client.close();
            }
            server.stop();
            workers.shutdownNow();
        }
    }

    private static String readEcho(RawWebSocketClient client, MessageDecoder decoder, boolean nineBitWindow) throws Exception {
        while (true) {
            Frame frame = client.readFrame();
            if (nineBitWindow && frame.rsv1()) {
                assertTrue(frame.payload().length <= 512 + 64, "a compressed echo past a 9-bit window");
            }
            int opcode = decoder.decode(ByteBuffer.wrap(frame.toBytes()));
            if (opcode == Opcode.TEXT) {
                String text = StandardCharsets.UTF_8.decode(decoder.payload()).toString();
                if (nineBitWindow) {
                    assertEquals(text.length() >= 256 && text.length() <= 512, frame.rsv1(),
                            "RSV1 of an echo of " + text.length() + " bytes under a 9-bit window");
                }
                return text;
            }
        }
    }

    /** 'w' (echoed by a worker) or 'l' (by the loop), then words that compress, 1 to 6,000 bytes in all. */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder(random.nextBoolean() ? "w" : "l");
        int length = 1 + random.nextInt(6_000);
        while (text.length() < length) {
            text.append(" word").append(random.nextInt(50));
        }
        text.setLength(length);
        return text.toString();
    }
}

package io.switchboard.endpoint.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.endpoint.capacity.SettledHeap;

/**
 * What a compressing connection keeps between messages, after 1,000 compressed messages each way
 * on {@value #CONNECTIONS} connections: heap (every Java object: a full GC before each of five
 * readings, the smallest kept), and the zlib state, counted as live {@code Deflater} and
 * {@code Inflater} objects in the JVM's class histogram (their native memory, about 260 KiB a
 * deflater and 40 KiB an inflater, is not heap, and the resident set is too noisy to see it per
 * connection). The clients live in this JVM but cost little (a {@link DeflateClient} is a socket
 * channel), and are counted too, against the server.
 *
 * <p>Without context takeover a connection borrows zlib state from its loop for each message:
 * it must keep at most 16 KiB of heap and no deflater or inflater. That is what every offer gets
 * from a server left at its defaults, however the client offers; with context takeover allowed
 * (and offered) a connection keeps its own. All three figures are printed.
 */
@Timeout(120)
class DeflateConnectionMemoryTest {
    private static final int CONNECTIONS = 200;
    private static final int MESSAGES = 1_000;
    private static final long MAX_HEAP_WITHOUT_CONTEXT_TAKEOVER = 16 * 1024;
    /** What a loop's pool may keep idle: four of each kind, on each of the default loops. */
    private static final int POOLED = 2 * 4 * Runtime.getRuntime().availableProcessors();

    @Test
    void withoutContextTakeoverAConnectionKeepsAtMost16KiBAndNoZlibStateBetweenMessages() throws Exception {
        Figures borrowing = measure("permessage-deflate; server_no_context_takeover; client_no_context_takeover", true);
        Figures byDefault = measure("permessage-deflate; client_max_window_bits", false); // as browsers offer
        Figures keeping = measure("permessage-deflate", true);
        System.out.println("[deflate] no context takeover, offered: " + borrowing);
        System.out.println("[deflate] no context takeover, the server's default: " + byDefault);
        System.out.println("[deflate] context takeover: " + keeping);
        for (Figures lean : List.of(borrowing, byDefault)) {
            assertTrue(lean.heap <= MAX_HEAP_WITHOUT_CONTEXT_TAKEOVER, lean.toString());
            assertTrue(lean.zlib <= POOLED, lean.toString());
        }
        // The count does see what connections hold: two each, give or take what pools of the
        // servers measured before still held, ended but not yet collected, when counting began.
        assertTrue(keeping.zlib >= 2 * CONNECTIONS - POOLED, keeping.toString());
    }

    /** Per connection: heap in use; and, for all of them, the deflaters and inflaters alive. */
    private record Figures(long heap, long zlib) {
        @Override
        public String toString() {
            return "per connection, after " + MESSAGES + " messages each way: heap " + heap + " B; "
                    + zlib + " more deflaters and inflaters alive with " + CONNECTIONS + " connections open";
        }
    }

    private static Figures measure(String offer, boolean contextTakeover) throws Exception {
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).perMessageDeflate(true)
                .deflateContextTakeover(contextTakeover)
                .route("/echo", new ConnectionHandler() {
                    @Override
                    public void message(Connection connection, String text) {
                        connection.send(text);
                    }
                }).start();
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        byte[] frame = DeflateClient.compressedTextFrame(text());
        List<DeflateClient> clients = new ArrayList<>();
        try {
            try (DeflateClient warmUp = DeflateClient.open(server.port(), "/echo", offer, scratch)) {
                exchange(List.of(warmUp), frame, scratch); // classes loaded, the loop's pool filled
            }
            long zlibBefore = liveZlibObjects(); // first: what the histogram itself loads is not counted
            long heapBefore = SettledHeap.used();
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(DeflateClient.open(server.port(), "/echo", offer, scratch));
            }
            exchange(clients, frame, scratch);
            long heap = (SettledHeap.used() - heapBefore) / CONNECTIONS;
            return new Figures(heap, liveZlibObjects() - zlibBefore);
        } finally {
            for (DeflateClient client : clients) {
                client.close();
            }
            server.stop();
        }
    }
    /** {@value #MESSAGES} round trips on every client, one message on each in turn, so that they interleave on the loops. */
    private static void exchange(List<DeflateClient> clients, byte[] frame, ByteBuffer scratch) throws IOException {
        for (int m = 0; m < MESSAGES; m++) {
            for (DeflateClient client : clients) {
                client.send(frame);
            }
            for (DeflateClient client : clients) {
                assertEquals(0xC1, client.readFrame(scratch), "a compressed text echo");
            }
        }
    }

    /** About 2 KiB of JSON-like text, which compresses as real traffic does. */
    private static String text() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; text.length() < 2_000; i++) {
            text.append("{\"id\":").append(i * 7919 % 1000).append(",\"name\":\"user-").append(i)
                    .append("\",\"status\":\"").append(i % 3 == 0 ? "online" : "away").append("\"},");
        }
        return text.append("{}]").toString();
    }

    /** Live instances of Deflater and Inflater, from the class histogram (which collects garbage first). */
    private static long liveZlibObjects() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        long live = 0;
        for (String line : histogram.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && (columns[3].equals("java.util.zip.Deflater") || columns[3].equals("java.util.zip.Inflater"))) {
                live += Long.parseLong(columns[1]);
            }
        }
        return live;
    }
}

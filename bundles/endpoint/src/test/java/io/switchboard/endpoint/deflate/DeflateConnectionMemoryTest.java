package io.switchboard.endpoint.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;

/**
 * What a compressing connection keeps between messages, after 1,000 compressed messages each way:
 * heap (every Java object: a full GC before each of five readings, the smallest kept), and the
 * resident set of the process, which also counts zlib's native state (a {@code Deflater} is about
 * 256 KiB of it, an {@code Inflater} about 40 KiB once used), as both grow with
 * {@value #CONNECTIONS} connections open. The clients live in this JVM but cost little (a
 * {@link DeflateClient} is a socket channel), so they are counted too, against the server.
 *
 * <p>Without context takeover a connection borrows zlib state from its loop for each message,
 * and must keep at most 16 KiB of heap. With context takeover it keeps its own; that figure is
 * printed, for the README.
 */
@Timeout(120)
class DeflateConnectionMemoryTest {
    private static final int CONNECTIONS = 200;
    private static final int MESSAGES = 1_000;
    private static final long MAX_HEAP_WITHOUT_CONTEXT_TAKEOVER = 16 * 1024;

    @Test
    void aConnectionWithoutContextTakeoverKeepsAtMost16KiBBetweenMessages() throws Exception {
        Figures figures = measure("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        System.out.println("[deflate] no context takeover: " + figures);
        assertTrue(figures.heap <= MAX_HEAP_WITHOUT_CONTEXT_TAKEOVER, figures.toString());
    }

    /**
     * The resident set, which counts zlib's native state: a connection with context takeover holds
     * a deflater and an inflater of its own; one without holds none between messages. (Measured
     * one after the other in this JVM, the second reuses some of what the first freed, which can
     * only shrink the difference.)
     */
    @Test
    void onlyAConnectionWithContextTakeoverKeepsZlibStateOfItsOwn() throws Exception {
        Figures borrowing = measure("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        Figures keeping = measure("permessage-deflate");
        System.out.println("[deflate] context takeover: " + keeping);
        assertTrue(keeping.resident - borrowing.resident > 200 * 1024,
                "without context takeover " + borrowing + "; with it " + keeping);
    }

    private record Figures(long heap, long resident) {
        @Override
        public String toString() {
            return "per connection, after " + MESSAGES + " messages each way: heap " + heap
                    + " B, resident set " + resident + " B (" + CONNECTIONS + " connections)";
        }
    }

    private static Figures measure(String offer) throws Exception {
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).perMessageDeflate(true)
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
            long heapBefore = settledHeapUsed();
            long residentBefore = residentSet();
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(DeflateClient.open(server.port(), "/echo", offer, scratch));
            }
            exchange(clients, frame, scratch);
            long heap = (settledHeapUsed() - heapBefore) / CONNECTIONS;
            long resident = (residentSet() - residentBefore) / CONNECTIONS;
            return new Figures(heap, resident);
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

    private static long settledHeapUsed() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.gc();
            Thread.sleep(100); // lets the collector's concurrent work end; no event to await for it
            min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    /** VmRSS of /proc/self/status, in bytes. */
    private static long residentSet() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}

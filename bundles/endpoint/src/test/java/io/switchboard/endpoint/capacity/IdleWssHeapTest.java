package io.switchboard.endpoint.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.TestKeys;

/**
 * The heap an idle wss connection costs the server: established, upgraded, nothing in flight. The
 * clients run in a child JVM ({@link IdleWssClients}) so that their heap is not counted; the heap
 * is read as {@link IdleConnectionCapacityTest} reads it (full GCs, the smallest of five readings)
 * before and after the connections open. A warm-up round of connections, opened and closed first,
 * leaves in 'before' what the first connections create for good (classes, the TLS context's caches).
 *
 * <p>System property {@code capacity.wss.connections} (default 1000), {@code capacity.wss.resume} (default false: a full handshake each).
 */
class IdleWssHeapTest {
    private static final int CONNECTIONS = Integer.getInteger("capacity.wss.connections", 1_000);
    /** Whether the clients resume one TLS session (abbreviated handshakes) rather than each making its own. */
    private static final boolean RESUME = Boolean.getBoolean("capacity.wss.resume");
    private static final int WARM_UP = 200;
    /**
     * The guard: an idle wss connection holds no TLS record buffer (each ~16.7 KB; three were held
     * for a connection's life before). Issue 15 asks for 4 KiB; measured with full handshakes it is
     * ~6,000 B: ~1,000 B of ours (as a ws connection) and ~5,000 B of the JDK's SSLEngine after its
     * handshake (its session, configuration, records, the AES-GCM ciphers' expanded keys), which
     * the endpoint cannot shed while the connection lives. The guard is set a little above that.
     */
    private static final long MAX_HEAP_PER_IDLE_WSS_CONNECTION = 7_000;
    /** Resumed, the JDK's session decoded from its ticket holds its own copy of the certificate chain (~3,500 B more). */
    private static final long MAX_HEAP_PER_IDLE_RESUMED_WSS_CONNECTION = 10_500;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anIdleWssConnectionHoldsNoTlsBufferAndReportsHeapPerConnection() throws Exception {
        AtomicInteger open = new AtomicInteger();
        CountDownLatch[] allGone = {new CountDownLatch(WARM_UP)};
        ConnectionHandler idle = new ConnectionHandler() {
            @Override
            public void connect(Connection connection) {
                open.incrementAndGet();
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                open.decrementAndGet();
                allGone[0].countDown();
            }
        };
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path childErr = target.resolve("wss-heap-client-stderr.log");
        Process child = null;
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0)
                .tls(TestKeys.server()).route("/idle", idle).start()) {
            child = new ProcessBuilder(javaCommand(), "-Xmx512m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), IdleWssClients.class.getName(),
                    Integer.toString(server.port()), "/idle", Boolean.toString(RESUME))
                    .redirectError(childErr.toFile()).start();
            BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            Writer childIn = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII);

            command(childIn, "CONNECT " + WARM_UP);
            expect(childOut, "READY " + WARM_UP, childErr);
            command(childIn, "CLOSE");
            expect(childOut, "DONE", childErr);
            assertTrue(allGone[0].await(20, TimeUnit.SECONDS), "the warm-up connections ended on the server");

            allGone[0] = new CountDownLatch(CONNECTIONS);
            long before = SettledHeap.used();
            command(childIn, "CONNECT " + CONNECTIONS);
            expect(childOut, "READY " + CONNECTIONS, childErr);
            assertEquals(CONNECTIONS, open.get(), "connect() callbacks for connections still open");
            long after = SettledHeap.used();
            assertEquals(CONNECTIONS, open.get(), "connections still open once the heap was read");

            long perConnection = (after - before) / CONNECTIONS;
            String line = "idle wss connections: " + CONNECTIONS + (RESUME ? " (resumed sessions)" : " (full handshakes)")
                    + ", heap per idle wss connection: " + perConnection
                    + " bytes (before " + before + ", after " + after + ")";
            System.out.println(line);
            Files.writeString(target.resolve("wss-heap-report.txt"), line + System.lineSeparator());

            command(childIn, "CLOSE");
            expect(childOut, "DONE", childErr);
            assertTrue(allGone[0].await(30, TimeUnit.SECONDS), "every connection ended on the server");
            long guard = RESUME ? MAX_HEAP_PER_IDLE_RESUMED_WSS_CONNECTION : MAX_HEAP_PER_IDLE_WSS_CONNECTION;
            assertTrue(perConnection <= guard, line + ": over the guard of " + guard + " bytes");
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void command(Writer childIn, String line) throws IOException {
        childIn.write(line + "\n");
        childIn.flush();
    }

    /** The child's next line, which must be {@code expected}; its stderr in the failure otherwise. */
    private static void expect(BufferedReader childOut, String expected, Path childErr) throws IOException {
        String line = childOut.readLine();
        if (!expected.equals(line)) {
            fail("the client process said '" + line + "' where we expected '" + expected + "'; its stderr: "
                    + (Files.exists(childErr) ? Files.readString(childErr) : "(none)"));
        }
    }

}

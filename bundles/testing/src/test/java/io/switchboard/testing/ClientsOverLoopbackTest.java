package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient.Closed;

/** Both clients against a peer written out byte by byte on a loopback socket. */
class ClientsOverLoopbackTest {
    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(5000);
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
    }

    @Test
    void rawClientReadsAFrameWrittenInPiecesAndTheEndOfTheStream() throws Exception {
        CompletableFuture<String> request = serve(peer -> {
            String head = readHead(peer.getInputStream());
            OutputStream out = peer.getOutputStream();
            out.write(switchingProtocols(UpgradeRequest.ACCEPT));
            out.flush();
            byte[] frame = Frames.unmasked(Frames.FIN | Frames.TEXT, Frames.utf8("split"));
            out.write(frame, 0, 1); // a read that ends inside the header
            out.flush();
            peer.getInputStream().read(); // the client's ping: the rest may come
            out.write(frame, 1, frame.length - 1);
            out.flush();
            return head;
        });
        try (RawWebSocketClient client = RawWebSocketClient.connect(listener.getLocalPort())) {
            client.upgrade("/raw");
            assertNull(client.pollFrame(50), "half a frame is no frame");
            client.sendPing(new byte[0]);
            assertEquals("split", client.readFrame().text());
            client.expectEof();
        }
        assertTrue(request.get(5, TimeUnit.SECONDS).startsWith("GET /raw HTTP/1.1\r\n"), request.get());
    }

    @Test
    void aWriteThePeerDoesNotTakeIsBounded() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        serve(peer -> {
            readHead(peer.getInputStream());
            peer.getOutputStream().write(switchingProtocols(UpgradeRequest.ACCEPT));
            released.await(10, TimeUnit.SECONDS); // reading nothing meanwhile
            return "";
        });
        try (RawWebSocketClient client = RawWebSocketClient.connect(listener.getLocalPort(), 4096)) {
            client.upgrade("/stuck");
            client.timeout(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> client.send(new byte[64 << 20]));
            assertTrue(RawWebSocketClient.millisSince(start) < 5000, "the write was not cut short");
        } finally {
            released.countDown();
        }
    }

    @Test
    void jdkClientPutsAMessageTogetherAndReportsPingAndClose() throws Exception {
        CompletableFuture<String> request = new CompletableFuture<>();
        serve(peer -> {
            String head = readHead(peer.getInputStream());
            request.complete(head);
            String key = head.lines().filter(line -> line.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
                    .substring("Sec-WebSocket-Key: ".length());
            OutputStream out = peer.getOutputStream();
            out.write(switchingProtocols(UpgradeRequest.acceptFor(key), "Sec-WebSocket-Protocol: b"));
            out.write(Frames.concat(
                    Frames.unmasked(Frames.TEXT, Frames.utf8("Hel")),
                    Frames.unmasked(Frames.FIN | Frames.PING, new byte[] {7}),
                    Frames.unmasked(Frames.FIN | Frames.CONTINUATION, Frames.utf8("lo")),
                    Frames.unmasked(Frames.FIN | Frames.BINARY, new byte[] {1, 2}),
                    Frames.unmasked(Frames.FIN | Frames.CLOSE, Frames.closePayload(4000, "bye"))));
            out.flush();
            peer.getInputStream().readAllBytes(); // until the client's Close and its end
            return head;
        });
        JdkWebSocketClient client = JdkWebSocketClient.to(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/jdk"))
                .subprotocols("a", "b").origin("http://example.test").header("X-Test", "1").connect();
        try {
            assertEquals("b", client.subprotocol());
            String head = request.get(5, TimeUnit.SECONDS);
            for (String field : List.of("Sec-WebSocket-Protocol: a, b", "Origin: http://example.test", "X-Test: 1")) {
                assertTrue(head.contains("\r\n" + field + "\r\n"), field + " in " + head);
            }
            assertEquals("Hello", client.awaitText());
            assertArrayEquals(new byte[] {7}, client.awaitPing());
            assertArrayEquals(new byte[] {1, 2}, client.awaitBinary());
            assertEquals(new Closed(4000, "bye"), client.nextEvent());
            assertEquals(new Closed(4000, "bye"), client.awaitClose());
            assertTrue(client.isClosed());
            AssertionError late = assertThrows(AssertionError.class, () -> client.awaitText(Duration.ofMillis(50)));
            assertTrue(late.getMessage().contains("closed: Closed[code=4000"), late.getMessage());
        } finally {
            client.abort();
        }
    }

    @Test
    void jdkClientReportsARefusalWithItsStatusAndHeaders() throws Exception {
        serve(peer -> {
            readHead(peer.getInputStream());
            peer.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return "";
        });
        HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class,
                () -> JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/busy")));
        assertEquals(503, refused.status());
        assertEquals("1", refused.header("retry-after").orElseThrow());
    }

    /** What the peer does with its one connection, on its own thread. */
    private interface Peer {
        String run(Socket peer) throws Exception;
    }

    private CompletableFuture<String> serve(Peer peer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(5000);
                return peer.run(socket);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request head ended early: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    static byte[] switchingProtocols(String accept, String... fields) {
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}

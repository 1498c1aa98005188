package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The publisher against a server side played by the test over a real loopback socket: what goes on
 * the wire (the upgrade to the publish path, then masked binary frames numbered in order with
 * their publish time), and that it never has more than the window in flight however the socket
 * takes its writes. Everything runs on the test thread, which is the selector thread of the
 * publisher's loop; the server side is one more handler on that loop.
 */
class PublisherTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MASK_KEY = 0x5A3C0FF1;
    private static final int SUBSCRIBERS = 3;
    private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final EventLoop loop;
    private final ServerSocketChannel listener;
    private final ServerSide serverSide = new ServerSide();
    private Traffic traffic;
    private Deliveries deliveries;
    private Publisher publisher;

    PublisherTest() throws IOException {
        loop = new EventLoop();
        listener = ServerSocketChannel.open();
    }

    @AfterEach
    void close() throws IOException {
        loop.close();
        listener.close();
    }

    /** One masked frame as the server read it, its payload unmasked here. */
    private record Published(int opcode, boolean fin, boolean rsv1, boolean masked, int maskKey, byte[] payload) {
        long seq() {
            return ByteBuffer.wrap(payload).getLong(0);
        }

        long publishedAt() {
            return ByteBuffer.wrap(payload).getLong(8);
        }
    }

    /**
     * The server's end of the publisher's connection: collects the upgrade request, then parses what
     * follows into frames. With {@code subscribing} on, every message it reads counts as delivered to
     * every subscriber at once, which lets the publisher go on.
     */
    private final class ServerSide implements EventLoop.Handler, FrameParser.Handler {
        SocketChannel channel;
        String request;
        boolean subscribing;
        boolean endOfStream;
        final List<Published> frames = new ArrayList<>();
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final FrameParser parser = new FrameParser(true);
        private ByteArrayOutputStream payload;
        private int opcode;
        private boolean fin;
        private boolean rsv1;
        private boolean masked;
        private byte[] mask;

        @Override
        public void handle(int readyOps, ByteBuffer readBuffer) {
            try {
                readBuffer.clear();
                if (channel.read(readBuffer) < 0) {
                    endOfStream = true;
                    channel.close();
                    return;
                }
                readBuffer.flip();
                while (request == null && readBuffer.hasRemaining()) {
                    head.write(readBuffer.get());
                    String text = head.toString(StandardCharsets.US_ASCII);
                    if (text.endsWith("\r\n\r\n")) {
                        request = text;
                    }
                }
                parser.parse(readBuffer, this);
            } catch (IOException e) {
                loop.abort(new RunFailure("the test's server side failed: " + e, e));
            }
        }

        @Override
        public void frameStart(int opcode, boolean fin, boolean rsv1, long length, boolean masked, int maskKey) {
            this.opcode = opcode;
            this.fin = fin;
            this.rsv1 = rsv1;
            this.masked = masked;
            this.mask = ByteBuffer.allocate(4).putInt(maskKey).array();
            this.payload = new ByteArrayOutputStream();
        }

        @Override
        public void payload(ByteBuffer in, int from, int length, long frameOffset) {
            for (int i = 0; i < length; i++) {
                payload.write(in.get(from + i) ^ (masked ? mask[(int) ((frameOffset + i) % 4)] : 0));
            }
        }

        @Override
        public void frameEnd() throws ProtocolException {
            Published frame = new Published(opcode, fin, rsv1, masked, ByteBuffer.wrap(mask).getInt(), payload.toByteArray());
            frames.add(frame);
            if (subscribing && opcode == ClientFrames.OPCODE_BINARY) {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    deliveries.delivered(frame.seq(), 0, System.nanoTime());
                }
            }
        }

        void send(String ascii) throws IOException {
            send(ascii.getBytes(StandardCharsets.US_ASCII));
        }

        void send(byte[] raw) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(raw);
            channel.write(bytes);
            assertFalse(bytes.hasRemaining(), "a few bytes fit in an empty socket");
        }
    }

    /**
     * Connects a publisher of {@code size}-byte messages with a window of {@code window} and
     * answers its upgrade with {@code acceptFor}'s value for the key it sent.
     *
     * @param receiveBuffer the server side's SO_RCVBUF, 0 for the default
     */
    private void connect(int size, int window, int receiveBuffer) throws Exception {
        if (receiveBuffer > 0) {
            listener.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer); // inherited by the accepted socket
        }
        listener.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = listener.socket().getLocalPort();
        Options options = Options.parse(new String[] {"--scenario", "S6", "--host", LOOPBACK.getHostAddress(),
            "--port", String.valueOf(port), "--control-port", "1", "--connections", String.valueOf(SUBSCRIBERS),
            "--size", String.valueOf(size), "--in-flight", String.valueOf(window)});
        traffic = new Traffic(options, MASK_KEY);
        deliveries = new Deliveries(SUBSCRIBERS, window);
        publisher = new Publisher(options, traffic, deliveries, loop, window);
        publisher.connect(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, port));
        serverSide.channel = listener.accept(); // blocking: the kernel completes the TCP handshake on its own
        serverSide.channel.configureBlocking(false);
        serverSide.channel.register(loop.selector(), SelectionKey.OP_READ, serverSide);
        await(() -> serverSide.request != null, "the upgrade request");
    }

    private void upgrade(String accept) throws Exception {
        serverSide.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
    }

    private String requestKey() {
        Matcher key = Pattern.compile("\r\nSec-WebSocket-Key: (\\S+)\r\n").matcher(serverSide.request);
        assertTrue(key.find(), serverSide.request);
        return key.group(1);
    }

    private void open(int size, int window, int receiveBuffer) throws Exception {
        connect(size, window, receiveBuffer);
        upgrade(UpgradeRequest.acceptFor(requestKey()));
        await(publisher::isOpen, "the publisher's handshake");
    }

    private void await(BooleanSupplier condition, String what) throws RunFailure {
        assertTrue(loop.runUntil(System.nanoTime() + AWAIT_NANOS, condition, now -> { }), what + " within 10 s");
    }

    private void awaitFrames(int count) throws RunFailure {
        await(() -> serverSide.frames.size() >= count, count + " frames");
        assertEquals(count, serverSide.frames.size(), "no more frames than expected");
    }

    private void deliverToAll(long seq) throws ProtocolException {
        for (int i = 0; i < SUBSCRIBERS; i++) {
            deliveries.delivered(seq, 0, System.nanoTime());
        }
    }

    /** Each frame is message {@code i}: a final masked binary frame of the published size and content. */
    private void assertMessagesInOrder(List<Published> frames, int size) {
        for (int i = 0; i < frames.size(); i++) {
            Published frame = frames.get(i);
            assertEquals(ClientFrames.OPCODE_BINARY, frame.opcode(), "frame " + i);
            assertTrue(frame.fin() && frame.masked() && !frame.rsv1(), "frame " + i + ": final, masked, no RSV1");
            assertEquals(size, frame.payload().length, "frame " + i);
            assertEquals(i, frame.seq(), "frame " + i);
            assertTrue(Arrays.equals(traffic.payload, FanOutReceiver.HEADER, size, frame.payload(), FanOutReceiver.HEADER, size),
                    "frame " + i + " carries the run's payload after its header");
        }
    }

    @Test
    void upgradesToThePublishPath() throws Exception {
        connect(64, 4, 0);
        assertTrue(serverSide.request.startsWith("GET " + Publisher.PATH + " HTTP/1.1\r\n"), serverSide.request);
        assertFalse(serverSide.request.contains("Sec-WebSocket-Extensions"), "the publisher offers no extension");
        assertFalse(publisher.isOpen(), "open only once the server accepted");
        upgrade(UpgradeRequest.acceptFor(requestKey()));
        await(publisher::isOpen, "the publisher's handshake");
    }

    @Test
    void failsTheRunOnAWrongAcceptValue() throws Exception {
        connect(64, 4, 0);
        upgrade(UpgradeRequest.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
        RunFailure failure = assertThrows(RunFailure.class, () -> loop.runFor(AWAIT_NANOS, now -> { }));
        assertTrue(failure.getMessage().contains("Sec-WebSocket-Accept"), failure.getMessage());
    }

    @ParameterizedTest(name = "{0}-byte messages")
    @ValueSource(ints = {16, 64, 4096, 70_000})
    void publishesAWindowOfNumberedTimedMaskedFrames(int size) throws Exception {
        open(size, 4, 0);
        assertEquals(0, deliveries.published(), "nothing before start");
        long before = System.nanoTime();
        publisher.start();
        long after = System.nanoTime();
        assertEquals(4, deliveries.published());
        awaitFrames(4);
        assertMessagesInOrder(serverSide.frames, size);
        for (Published frame : serverSide.frames) {
            assertEquals(MASK_KEY, frame.maskKey());
            assertTrue(frame.publishedAt() >= before && frame.publishedAt() <= after,
                    "the publish time is the publisher's nanoTime: " + frame.publishedAt());
        }
    }

    @Test
    void publishesOneMoreForEachMessageThatEverySubscriberHas() throws Exception {
        open(64, 4, 0);
        publisher.start();
        awaitFrames(4);

        deliveries.delivered(0, 0, System.nanoTime());
        deliveries.delivered(0, 0, System.nanoTime());
        assertEquals(4, deliveries.published(), "message 0 still misses a subscriber");
        deliveries.delivered(0, 0, System.nanoTime());
        assertEquals(5, deliveries.published());
        awaitFrames(5);

        deliverToAll(1);
        deliverToAll(2);
        awaitFrames(7);
        assertMessagesInOrder(serverSide.frames, 64);

        publisher.stop();
        for (long seq = 3; seq < 7; seq++) {
            deliverToAll(seq);
        }
        assertEquals(7, deliveries.published(), "a stopped publisher publishes nothing more");
        assertEquals(0, deliveries.inFlight());
        publisher.close();
        await(() -> serverSide.endOfStream, "the end of the publisher's stream");
        assertEquals(8, serverSide.frames.size(), "the seven messages and a close, nothing else: " + serverSide.frames);
        Published close = serverSide.frames.get(7);
        assertEquals(ClientFrames.OPCODE_CLOSE, close.opcode());
        assertTrue(close.masked());
        assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, close.payload());
    }

    /** A socket that takes a little at a time: the rest waits for OP_WRITE, and new frames queue behind it. */
    @Test
    void keepsTheWindowAndTheBytesAcrossShortWrites() throws Exception {
        int size = 64 * 1024;
        int window = 128; // 8 MiB: more than Linux lets a socket buffer (tcp_wmem's maximum is 4 MiB)
        open(size, window, 16 * 1024);
        serverSide.subscribing = true;
        publisher.start();
        SelectionKey key = loop.selector().keys().stream().filter(k -> k.attachment() == publisher).findFirst().orElseThrow();
        assertTrue((key.interestOps() & SelectionKey.OP_WRITE) != 0, "the window did not fit in the socket");

        await(() -> serverSide.frames.size() >= 3 * window, 3 * window + " messages");
        publisher.stop();
        await(() -> deliveries.inFlight() == 0, "the messages in flight");
        assertEquals(deliveries.published(), serverSide.frames.size());
        assertMessagesInOrder(serverSide.frames, size);
    }

    @Test
    void failsTheRunIfTheServerSendsThePublisherAnything() throws Exception {
        open(64, 4, 0);
        serverSide.send(new byte[] {(byte) 0x89, 0}); // an empty ping
        RunFailure failure = assertThrows(RunFailure.class, () -> loop.runFor(AWAIT_NANOS, now -> { }));
        assertTrue(failure.getMessage().contains("should send nothing"), failure.getMessage());
    }
}

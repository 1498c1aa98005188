package io.switchboard.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on a plain {@link Socket} that sends exactly the bytes a test gives it and
 * reads exactly what the server wrote: HTTP response heads, unmasked server frames, the end of
 * the stream. Nothing is checked on the way out, so a test can send a malformed request or an
 * invalid frame, whole or split over several writes; on the way in, only what would make the
 * rest unreadable fails the test (a masked server frame, an impossible length).
 *
 * <p>No call blocks for longer than the client's timeout ({@link #DEFAULT_TIMEOUT_MILLIS}
 * unless {@link #timeout} changes it), so a server that hangs fails the test instead of stalling
 * the build: every read waits at most that long, and a write the server does not take within it
 * closes the socket. Bytes read but not yet parsed stay in the client's own buffer, so a
 * {@link #pollFrame} that times out in the middle of a frame loses nothing.
 *
 * <p>One thread at a time reads; one thread at a time writes (a test may flood from one thread
 * while it reads on another).
 */
public final class RawWebSocketClient implements AutoCloseable {
    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

    /** Closes the sockets of writes that are stuck: a blocking socket write has no timeout of its own. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "raw-websocket-client-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Seeded, so that a failing run masks its frames the same way the next time. */
    private final Random maskKeys = new Random(6455);
    private final long connectedAt;
    private volatile int timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
    private volatile boolean writeTimedOut;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    private RawWebSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.connectedAt = System.nanoTime();
    }

    /** Connects to {@code port} on 127.0.0.1. */
    public static RawWebSocketClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBuffer the socket's SO_RCVBUF, set before connecting (a small one makes a slow reader); 0 for the default */
    public static RawWebSocketClient connect(int port, int receiveBuffer) throws IOException {
        return connect(new InetSocketAddress("127.0.0.1", port), receiveBuffer);
    }

    public static RawWebSocketClient connect(InetSocketAddress server, int receiveBuffer) throws IOException {
        return connect(new Socket(), server, receiveBuffer);
    }

    private static RawWebSocketClient connect(Socket socket, InetSocketAddress server, int receiveBuffer) throws IOException {
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true); // each write goes out as it is, so split writes stay split
            socket.setSoTimeout(DEFAULT_TIMEOUT_MILLIS);
            socket.connect(server, DEFAULT_TIMEOUT_MILLIS);
            if (socket instanceof javax.net.ssl.SSLSocket secured) {
                secured.startHandshake();
            }
            return new RawWebSocketClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects to {@code port} on 127.0.0.1 over TLS with {@code context}, the TLS handshake done. */
    public static RawWebSocketClient connectTls(int port, javax.net.ssl.SSLContext context) throws IOException {
        return connect(context.getSocketFactory().createSocket(), new InetSocketAddress("127.0.0.1", port), 0);
    }

    /** Connects and completes the opening handshake for {@code path}. */
    public static RawWebSocketClient open(int port, String path) throws IOException {
        RawWebSocketClient client = connect(port);
        try {
            client.upgrade(path);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /**
     * Connects, sends {@code request}, reads the response with its body, and checks that the
     * server then ends the connection with nothing more written.
     */
    public static RawResponse exchange(int port, String request) throws IOException {
        try (RawWebSocketClient client = connect(port)) {
            client.send(request);
            RawResponse response = client.readResponse();
            client.expectEof();
            return response;
        }
    }

    /** How long any one read or write may wait from now on. */
    public RawWebSocketClient timeout(Duration timeout) throws SocketException {
        timeoutMillis = (int) Math.max(1, timeout.toMillis());
        socket.setSoTimeout(timeoutMillis);
        return this;
    }

    /** {@link System#nanoTime()} once the TCP connection was established. */
    public long connectedAt() {
        return connectedAt;
    }

    /** Milliseconds since {@code nanos}, a reading of {@link System#nanoTime()}. */
    public static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Sends a valid upgrade request (the sample key, these fields added) and checks the 101. */
    public RawResponse upgrade(String path, String... extraFields) throws IOException {
        send(UpgradeRequest.to(path, extraFields));
        RawResponse response = readResponseHead();
        UpgradeRequest.assertSwitchingProtocols(response);
        return response;
    }

    // ---------------------------------------------------------------- writing

    /** Sends text as ISO-8859-1 bytes: request heads, byte for char. */
    public void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Sends {@code bytes} in separate writes, cut at these offsets (ascending), so that the server may read them apart. */
    public void sendSplit(byte[] bytes, int... cuts) throws IOException {
        int from = 0;
        for (int cut : cuts) {
            write(bytes, from, cut - from);
            from = cut;
        }
        write(bytes, from, bytes.length - from);
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(this::abortStuckWrite, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(bytes, offset, length);
            out.flush();
        } catch (SocketException e) {
            if (writeTimedOut) {
                throw new SocketTimeoutException("the server took none of " + length + " bytes for " + timeoutMillis
                        + " ms: the socket was closed");
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private void abortStuckWrite() {
        writeTimedOut = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // the write fails either way
        }
    }

    /** A masked frame of this client, with a mask key of its own. */
    public byte[] frame(boolean fin, int opcode, byte[] payload) {
        return Frames.masked(Frames.first(fin, opcode), payload, maskKeys.nextInt());
    }

    /** A whole message (or control frame) in one frame. */
    public byte[] frame(int opcode, byte[] payload) {
        return frame(true, opcode, payload);
    }

    /** A masked frame with these flags ({@code Frames.FIN | Frames.RSV1}, say) on its opcode. */
    public byte[] frameWithFlags(int flags, int opcode, byte[] payload) {
        return Frames.masked(flags | opcode, payload, maskKeys.nextInt());
    }

    public byte[] textFrame(String text) {
        return frame(Frames.TEXT, Frames.utf8(text));
    }

    public byte[] closeFrame(int code, String reason) {
        return frame(Frames.CLOSE, Frames.closePayload(code, reason));
    }

    /** Only the header of a masked frame that announces {@code length} payload bytes. */
    public byte[] frameHeader(boolean fin, int opcode, long length) {
        return Frames.maskedHeader(Frames.first(fin, opcode), length, maskKeys.nextInt());
    }

    public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        send(frame(fin, opcode, payload));
    }

    public void sendText(String text) throws IOException {
        send(textFrame(text));
    }

    public void sendClose(int code, String reason) throws IOException {
        send(closeFrame(code, reason));
    }

    public void sendPing(byte[] payload) throws IOException {
        send(frame(Frames.PING, payload));
    }

    public void sendPong(byte[] payload) throws IOException {
        send(frame(Frames.PONG, payload));
    }

    // ---------------------------------------------------------------- reading HTTP

    /** Reads up to the blank line that ends a response head; leaves what follows unread. */
    public RawResponse readResponseHead() throws IOException {
        RawResponse head = pollResponseHead(timeoutMillis);
        if (head == null) {
            throw new AssertionError("no complete response head within " + timeoutMillis + " ms; got '"
                    + RawResponse.printable(unread(200)) + "'");
        }
        return head;
    }

    /**
     * Reads a response head, or returns null if it is not complete within {@code millis}: the
     * bytes read so far stay for the next call.
     *
     * @throws EOFException if the stream ends first
     */
    public RawResponse pollResponseHead(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        int headEnd;
        while ((headEnd = UpgradeRequest.headEnd(buffer, start, end)) < 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            if (fill((int) Math.min(left, Integer.MAX_VALUE)) < 0) {
                throw new EOFException("the stream ended inside a response head: " + RawResponse.printable(unread(200)));
            }
        }
        String head = new String(buffer, start, headEnd - 4 - start, StandardCharsets.ISO_8859_1); // without the blank line
        start = headEnd;
        return RawResponse.parseHead(head);
    }

    /** Reads a response head and as many body bytes as its {@code Content-Length} says. */
    public RawResponse readResponse() throws IOException {
        RawResponse head = readResponseHead();
        int length = head.header("Content-Length").map(Integer::parseInt).orElse(0);
        return head.withBody(readBytes(length));
    }

    private byte[] readBytes(int length) throws IOException {
        while (end - start < length) {
            ensureCapacity(length);
            int read = fill(timeoutMillis);
            if (read < 0) {
                throw new EOFException("the stream ended after " + (end - start) + " of " + length + " bytes");
            }
            if (read == 0) {
                throw new AssertionError("only " + (end - start) + " of " + length + " bytes within " + timeoutMillis + " ms");
            }
        }
        byte[] bytes = Arrays.copyOfRange(buffer, start, start + length);
        start += length;
        return bytes;
    }

    // ---------------------------------------------------------------- reading frames

    /** Reads the next frame, waiting up to the timeout; fails the test if none comes. */
    public Frame readFrame() throws IOException {
        Frame frame = pollFrame(timeoutMillis);
        if (frame == null) {
            throw new AssertionError("no frame within " + timeoutMillis + " ms");
        }
        return frame;
    }

    /**
     * Reads the next frame, or returns null if none is complete within {@code millis}. A test that
     * expects nothing should rather make a round trip (send a message, read its answer): what the
     * server would have sent before it then comes first, with no waiting on a clock.
     *
     * @throws EOFException if the stream ends first
     */
    public Frame pollFrame(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            Frame frame = parseFrame();
            if (frame != null) {
                return frame;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            int read = fill((int) Math.min(left, Integer.MAX_VALUE));
            if (read < 0) {
                throw new EOFException("the stream ended" + (end > start ? " inside a frame" : "") + " while a frame was expected");
            }
        }
    }

    /** Reads frames until a Close frame, passing over data and ping frames, and returns it. */
    public Frame readUntilClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.isClose()) {
                return frame;
            }
        }
    }

    private Frame parseFrame() {
        int available = end - start;
        if (available < 2) {
            return null;
        }
        int first = buffer[start] & 0xFF;
        int second = buffer[start + 1] & 0xFF;
        if ((second & 0x80) != 0) {
            throw new AssertionError("the server sent a masked frame");
        }
        int length7 = second & 0x7F;
        int headerSize = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
        if (available < headerSize) {
            return null;
        }
        long length = length7;
        if (length7 >= 126) {
            length = 0;
            for (int i = 2; i < headerSize; i++) {
                length = length << 8 | (buffer[start + i] & 0xFF);
            }
        }
        if (length < 0 || length > Integer.MAX_VALUE - 64) {
            throw new AssertionError("the server announced a frame of " + Long.toUnsignedString(length) + " bytes");
        }
        int frameSize = headerSize + (int) length;
        if (available < frameSize) {
            ensureCapacity(frameSize);
            return null;
        }
        byte[] payload = Arrays.copyOfRange(buffer, start + headerSize, start + frameSize);
        start += frameSize;
        return new Frame(first, payload);
    }

    // ---------------------------------------------------------------- end of stream

    /**
     * Fails the test unless the server ends the stream (read returns -1) with nothing more to read,
     * within the timeout; the client itself has neither closed nor half-closed its socket.
     *
     * @return {@link System#nanoTime()} when the end was seen
     */
    public long expectEof() throws IOException {
        if (end > start) {
            throw new AssertionError("expected the end of the stream, found " + (end - start) + " more bytes: "
                    + RawResponse.printable(unread(200)));
        }
        int read = fill(timeoutMillis);
        if (read == 0) {
            throw new AssertionError("the server did not close the connection within " + timeoutMillis + " ms");
        }
        if (read > 0) {
            throw new AssertionError("expected the end of the stream, got " + read + " more bytes: "
                    + RawResponse.printable(unread(200)));
        }
        return System.nanoTime();
    }

    /**
     * Reads and drops whatever comes (a TLS alert to a client that does not speak TLS, say) until
     * the server ends the stream; fails the test if it does not within the timeout.
     *
     * @return how many bytes came before the end
     */
    public long skipToEof() throws IOException {
        long skipped = 0;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            skipped += end - start;
            start = end;
            long left = (deadline - System.nanoTime()) / 1_000_000;
            int read = left > 0 ? fill((int) left) : 0;
            if (read < 0) {
                return skipped;
            }
            if (read == 0) {
                throw new AssertionError("the server did not close the connection within " + timeoutMillis
                        + " ms (" + skipped + " bytes came)");
            }
        }
    }

    /** Tells whether the server has ended the stream; waits at most {@code millis} to find out. */
    public boolean isEndOfStream(int millis) throws IOException {
        return end == start && fill(millis) < 0;
    }

    /** Bytes read from the socket and not parsed yet (after a response head: what came behind it). */
    public int buffered() {
        return end - start;
    }

    // ---------------------------------------------------------------- plumbing

    /** @return bytes read, 0 on timeout, -1 at the end of the stream */
    private int fill(int millis) throws IOException {
        if (end == buffer.length) {
            ensureCapacity(end - start + 64 * 1024);
        }
        socket.setSoTimeout(Math.max(1, millis));
        try {
            int read = in.read(buffer, end, buffer.length - end);
            if (read > 0) {
                end += read;
            }
            return read;
        } catch (SocketTimeoutException e) {
            return 0;
        } finally {
            socket.setSoTimeout(timeoutMillis);
        }
    }

    /** Makes room for {@code size} unread bytes, compacting first. */
    private void ensureCapacity(int size) {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buffer.length < size) {
            buffer = Arrays.copyOf(buffer, Math.max(size, 2 * buffer.length));
        }
    }

    private String unread(int max) {
        return new String(buffer, start, Math.min(end - start, max), StandardCharsets.ISO_8859_1);
    }

    /** Closes the socket, as a client that goes away does (FIN, not a closing handshake). */
    public void hangUp() throws IOException {
        socket.close();
    }

    /** Resets the connection: SO_LINGER 0, so the close sends RST, as a client that crashes does. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        hangUp();
    }
}

package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.Opcode;

/**
 * A WebSocket client on a plain {@link Socket} that sends exactly the bytes a test gives it and
 * reads exactly what the server wrote: HTTP response heads, unmasked server frames, and the end
 * of the stream. Every read is bounded by {@link #SAFETY_TIMEOUT_MILLIS}, so a server that
 * hangs fails the test instead of stalling the build.
 *
 * <p>Bytes read but not yet parsed stay in the client's own buffer, so a {@link #pollFrame}
 * that times out in the middle of a frame loses nothing.
 */
final class RawClient implements AutoCloseable {
    static final int SAFETY_TIMEOUT_MILLIS = 5000;
    /** The sample nonce of RFC 6455 §1.3 and its accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Random maskKeys = new Random(6455);
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    /** {@link System#nanoTime()} once the TCP connection was established. */
    final long connectedAt;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.connectedAt = System.nanoTime();
    }

    static RawClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBuffer the socket's SO_RCVBUF, set before connecting; 0 for the default */
    static RawClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), SAFETY_TIMEOUT_MILLIS);
            return new RawClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects over TLS with {@code context}, the TLS handshake done. */
    static RawClient connectTls(int port, javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), SAFETY_TIMEOUT_MILLIS);
            socket.startHandshake();
            return new RawClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects and completes the opening handshake for {@code path}. */
    static RawClient open(int port, String path) throws IOException {
        RawClient client = connect(port);
        try {
            client.upgrade(path);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- requests

    /** The header fields of a valid upgrade request, as a list a test may change. */
    static List<String> upgradeFields() {
        return new ArrayList<>(List.of(
                "Host: 127.0.0.1",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + KEY,
                "Sec-WebSocket-Version: 13"));
    }

    /** A request head: the request line, the fields, and the blank line. */
    static String head(String requestLine, List<String> fields) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    static String upgradeRequest(String path) {
        return head("GET " + path + " HTTP/1.1", upgradeFields());
    }

    /**
     * Connects, sends {@code request}, reads the response with its body, and checks that the
     * server then ends the connection with nothing more written.
     */
    static Response exchange(int port, String request) throws IOException {
        try (RawClient client = connect(port)) {
            client.send(request);
            Response response = client.readResponse();
            client.expectEof();
            return response;
        }
    }

    /** Sends a valid upgrade request and checks the 101. */
    Response upgrade(String path) throws IOException {
        send(upgradeRequest(path));
        Response response = readResponseHead();
        assertSwitchingProtocols(response);
        return response;
    }

    static void assertSwitchingProtocols(Response response) {
        assertEquals("HTTP/1.1 101 Switching Protocols", response.statusLine(), response::toString);
        assertEquals(Optional.of("websocket"), response.header("Upgrade"));
        assertEquals(Optional.of(ACCEPT), response.header("Sec-WebSocket-Accept"));
    }

    // ---------------------------------------------------------------- writing

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A masked client frame, built by the codec's own writer. */
    byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(payload.length, true) + payload.length);
        FrameWriter.writeFrame(frame, fin, false, opcode, ByteBuffer.wrap(payload), true, maskKeys.nextInt());
        return frame.array();
    }

    /** A whole message in one frame. */
    byte[] frame(int opcode, byte[] payload) {
        return frame(true, opcode, payload);
    }

    byte[] textFrame(String text) {
        return frame(Opcode.TEXT, utf8(text));
    }

    byte[] closeFrame(int code, String reason) {
        return frame(Opcode.CLOSE, closePayload(code, reason));
    }

    /** Only the header of a masked frame that announces {@code length} payload bytes. */
    byte[] frameHeader(boolean fin, int opcode, long length) {
        ByteBuffer header = ByteBuffer.allocate(FrameWriter.headerSize(length, true));
        FrameWriter.writeHeader(header, fin, false, opcode, length, true, maskKeys.nextInt());
        return header.array();
    }

    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        send(frame(fin, opcode, payload));
    }

    void sendText(String text) throws IOException {
        send(textFrame(text));
    }

    void sendClose(int code, String reason) throws IOException {
        send(closeFrame(code, reason));
    }

    void sendPing(byte[] payload) throws IOException {
        send(frame(Opcode.PING, payload));
    }

    void sendPong(byte[] payload) throws IOException {
        send(frame(Opcode.PONG, payload));
    }

    static byte[] closePayload(int code, String reason) {
        byte[] text = utf8(reason);
        return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    // ---------------------------------------------------------------- reading HTTP

    /** An HTTP response: status line, header fields in order, and the body if one was read. */
    record Response(String statusLine, int status, List<String[]> fields, byte[] body) {
        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] field : fields) {
                if (field[0].equalsIgnoreCase(name)) {
                    values.add(field[1]);
                }
            }
            return values;
        }

        Optional<String> header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(statusLine);
            for (String[] field : fields) {
                text.append(" | ").append(field[0]).append(": ").append(field[1]);
            }
            return text.append(" | body ").append(body.length).append(" bytes").toString();
        }
    }

    /** Reads up to the blank line that ends a response head; leaves what follows unread. */
    Response readResponseHead() throws IOException {
        int headEnd;
        while ((headEnd = indexOf("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) < 0) {
            if (fill(SAFETY_TIMEOUT_MILLIS) < 0) {
                throw new EOFException("the stream ended inside a response head: "
                        + new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
            }
        }
        String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
        start = headEnd + 4;
        String[] lines = head.split("\r\n", -1);
        String statusLine = lines[0];
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1")) {
            throw new AssertionError("not an HTTP/1.1 status line: " + printable(statusLine));
        }
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("malformed response header line: " + lines[i]);
            }
            fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
        }
        return new Response(statusLine, Integer.parseInt(parts[1]), fields, new byte[0]);
    }

    /** Reads a response head and as many body bytes as its {@code Content-Length} says. */
    Response readResponse() throws IOException {
        Response head = readResponseHead();
        int length = head.header("Content-Length").map(Integer::parseInt).orElse(0);
        return new Response(head.statusLine(), head.status(), head.fields(), readBytes(length));
    }

    private byte[] readBytes(int length) throws IOException {
        while (end - start < length) {
            ensureCapacity(length);
            if (fill(SAFETY_TIMEOUT_MILLIS) < 0) {
                throw new EOFException("the stream ended after " + (end - start) + " of " + length + " bytes");
            }
        }
        byte[] bytes = Arrays.copyOfRange(buffer, start, start + length);
        start += length;
        return bytes;
    }

    // ---------------------------------------------------------------- reading frames

    /** A frame from the server. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        boolean isClose() {
            return opcode == Opcode.CLOSE;
        }

        /** The close code, or 1005 for an empty close payload. */
        int closeCode() {
            if (payload.length == 0) {
                return 1005;
            }
            return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        }

        String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String what = switch (opcode) {
                case Opcode.CLOSE -> "close " + closeCode() + " '" + closeReason() + "'";
                case Opcode.TEXT -> "text '" + (payload.length > 40 ? text().substring(0, 40) + "…" : text()) + "'";
                default -> "opcode " + opcode + ", " + payload.length + " bytes";
            };
            return "Frame[" + what + (fin ? "" : ", not final") + "]";
        }
    }

    /** Reads the next frame, waiting up to the safety timeout. */
    Frame readFrame() throws IOException {
        Frame frame = pollFrame(SAFETY_TIMEOUT_MILLIS);
        if (frame == null) {
            throw new AssertionError("no frame within " + SAFETY_TIMEOUT_MILLIS + " ms");
        }
        return frame;
    }

    /** Reads the next frame, or returns null if none is complete within {@code millis}. */
    Frame pollFrame(long millis) throws IOException {
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
            int read = fill((int) left);
            if (read < 0) {
                throw new EOFException("the stream ended" + (end > start ? " inside a frame" : "") + " while a frame was expected");
            }
        }
    }

    /** Reads frames until a close frame, skipping data and ping frames, and returns it. */
    Frame readUntilClose() throws IOException {
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
        if (length > Integer.MAX_VALUE - 64) {
            throw new AssertionError("the server announced a frame of " + length + " bytes");
        }
        int frameSize = headerSize + (int) length;
        if (available < frameSize) {
            ensureCapacity(frameSize);
            return null;
        }
        byte[] payload = Arrays.copyOfRange(buffer, start + headerSize, start + frameSize);
        start += frameSize;
        return new Frame((first & 0x80) != 0, first & 0x0F, payload);
    }

    // ---------------------------------------------------------------- end of stream

    /**
     * Asserts that the server ended the stream (read returns -1) with nothing more to read, within
     * the safety timeout; the client itself has neither closed nor half-closed its socket.
     *
     * @return {@link System#nanoTime()} when the end was seen
     */
    long expectEof() throws IOException {
        if (end > start) {
            throw new AssertionError("expected the end of the stream, found " + (end - start) + " more bytes: "
                    + new String(buffer, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1));
        }
        int read = fill(SAFETY_TIMEOUT_MILLIS);
        if (read == 0) {
            throw new AssertionError("the server did not close the connection within " + SAFETY_TIMEOUT_MILLIS + " ms");
        }
        if (read > 0) {
            throw new AssertionError("expected the end of the stream, got " + read + " more bytes: "
                    + new String(buffer, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1));
        }
        return System.nanoTime();
    }

    /** Tells whether the server has ended the stream; waits at most {@code millis} to find out. */
    boolean isEndOfStream(int millis) throws IOException {
        return end == start && fill(millis) < 0;
    }

    // ---------------------------------------------------------------- plumbing

    /** @return bytes read, 0 on timeout, -1 at the end of the stream */
    private int fill(int timeoutMillis) throws IOException {
        if (end == buffer.length) {
            ensureCapacity(end - start + 64 * 1024);
        }
        socket.setSoTimeout(Math.max(1, timeoutMillis));
        try {
            int read = in.read(buffer, end, buffer.length - end);
            if (read > 0) {
                end += read;
            }
            return read;
        } catch (SocketTimeoutException e) {
            return 0;
        } finally {
            socket.setSoTimeout(SAFETY_TIMEOUT_MILLIS);
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

    private int indexOf(byte[] pattern) {
        outer:
        for (int i = start; i <= end - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The text with every character outside printable ASCII shown as a hex escape. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) {
                shown.append(c);
            } else {
                shown.append(String.format("\\x%02X", (int) c));
            }
        }
        return shown.toString();
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Closes the socket, as a client that goes away does. */
    void hangUp() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        hangUp();
    }
}

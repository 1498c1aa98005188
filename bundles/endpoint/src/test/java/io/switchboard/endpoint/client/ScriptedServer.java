package io.switchboard.endpoint.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.switchboard.handshake.WebSocketUpgrade;

/**
 * A one-connection server on loopback that plays a script over a plain socket: it answers an
 * upgrade request with exactly the bytes a test wants (a wrong accept key, a redirect, frames a
 * real server would never send) and reads the client's frames byte by byte. The script runs on
 * a thread of its own; {@link #done} completes when it returns, or fails with what it threw.
 */
final class ScriptedServer implements AutoCloseable {
    @FunctionalInterface
    interface Script {
        void play(ScriptedServer peer) throws Exception;
    }

    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Completed once the client's request head has been read. */
    final CompletableFuture<Void> requestRead = new CompletableFuture<>();
    private final ServerSocket listener;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    /** The client's Sec-WebSocket-Key, once the request is read. */
    String key;
    String request;

    ScriptedServer(Script script) throws IOException {
        this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /** Plays on the sockets {@code listener} accepts: a TLS listener makes it a wss server. */
    ScriptedServer(ServerSocket listener, Script script) {
        this.listener = listener;
        Thread thread = new Thread(() -> {
            try (Socket accepted = listener.accept()) {
                socket = accepted;
                in = new DataInputStream(accepted.getInputStream());
                out = accepted.getOutputStream();
                script.play(this);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "scripted-server");
        thread.setDaemon(true);
        thread.start();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + path);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Reads the request head, up to its blank line. */
    ScriptedServer readRequest() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client left during its request");
            }
            head.write(b);
        }
        request = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : request.split("\r\n")) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        requestRead.complete(null);
        return this;
    }

    /** The accept key a correct server would send. */
    String accept() {
        return WebSocketUpgrade.acceptKey(key);
    }

    /** A 101 that RFC 6455 accepts, with extra header lines. */
    void answer101(String... extraLines) throws IOException {
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept() + "\r\n");
        for (String line : extraLines) {
            response.append(line).append("\r\n");
        }
        write(response.append("\r\n").toString());
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One frame from the client, which must be masked: its first byte, and its payload unmasked. */
    Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        boolean masked = (second & 0x80) != 0;
        byte[] key = new byte[4];
        if (masked) {
            in.readFully(key);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i % 4];
        }
        return new Frame(first, masked, (key[0] & 0xFF) << 24 | (key[1] & 0xFF) << 16 | (key[2] & 0xFF) << 8 | (key[3] & 0xFF), payload);
    }

    record Frame(int first, boolean masked, int key, byte[] payload) {
        int opcode() {
            return first & 0x0F;
        }

        int closeCode() {
            return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Waits for the client to close the socket: true at the end of the input. */
    boolean clientLeft() throws IOException {
        socket.setSoTimeout((int) Inbox.SECONDS * 1000);
        InputStream input = socket.getInputStream();
        while (input.read() >= 0) {
            // what the client still sends is not the point
        }
        return true;
    }

    /**
     * Whether the client keeps the socket open, sending nothing, for {@code millis}: a check that
     * something does not happen, which no round trip can stand in for once the connection is
     * closing.
     */
    boolean clientStays(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            socket.getInputStream().read();
            return false; // data or the end of its output: it did not stay quiet
        } catch (SocketTimeoutException quiet) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        if (socket != null) {
            socket.close();
        }
    }
}

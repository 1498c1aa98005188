package io.switchboard.endpoint.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import io.switchboard.testing.UpgradeRequest;

/**
 * A client that costs almost nothing per connection (a blocking {@link SocketChannel}; buffers
 * are the caller's), so that a heap measurement in this JVM counts the server's side: it sends
 * ready-made compressed frames and reads echoes whole. Not thread-safe; one thread per client.
 */
final class DeflateClient implements AutoCloseable {
    private final SocketChannel channel;

    private DeflateClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects, offers {@code extensions} and reads the 101, which must accept permessage-deflate. */
    static DeflateClient open(int port, String path, String extensions, ByteBuffer scratch) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        DeflateClient client = new DeflateClient(channel);
        client.write(ByteBuffer.wrap(UpgradeRequest.to(path, "Sec-WebSocket-Extensions: " + extensions)
                .getBytes(StandardCharsets.ISO_8859_1)));
        String head = client.readHead(scratch);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertTrue(head.contains("permessage-deflate"), head);
        return client;
    }

    /**
     * A client frame carrying {@code text} compressed on its own (valid with or without context
     * takeover, since it refers to nothing before it), masked with the zero key so that it can be
     * sent any number of times.
     */
    static byte[] compressedTextFrame(String text) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] out = new byte[text.length() + 64];
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH) - 4; // without 00 00 FF FF
        deflater.end();
        assertTrue(length < 65_536 && length > 0, "compressed to " + length);
        ByteBuffer frame = ByteBuffer.allocate(length + 8);
        frame.put((byte) 0xC1); // FIN, RSV1, text
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        }
        frame.putInt(0).put(out, 0, length);
        return Arrays.copyOf(frame.array(), frame.position());
    }

    void send(byte[] frame) throws IOException {
        write(ByteBuffer.wrap(frame));
    }

    /** Reads one whole frame into {@code scratch} (from position 0) and returns its first byte. */
    int readFrame(ByteBuffer scratch) throws IOException {
        readFully(scratch.clear().limit(2));
        int first = scratch.get(0) & 0xFF;
        int length = scratch.get(1) & 0x7F;
        assertEquals(0, scratch.get(1) & 0x80, "a server frame is not masked");
        if (length == 126) {
            readFully(scratch.clear().limit(2));
            length = scratch.getShort(0) & 0xFFFF;
        } else if (length == 127) {
            readFully(scratch.clear().limit(8));
            length = Math.toIntExact(scratch.getLong(0));
        }
        readFully(scratch.clear().limit(length));
        return first;
    }

    private String readHead(ByteBuffer scratch) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            readFully(scratch.clear().limit(1));
            head.append((char) (scratch.get(0) & 0xFF));
        }
        return head.toString();
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the server closed the connection");
            }
        }
    }

    private void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

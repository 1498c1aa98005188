package io.switchboard.benchmarks.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The ceiling: a TCP echo with no WebSocket at all, on one selector thread. Each read goes back
 * in one write from a single 1 MiB direct buffer, as large as an S3 message, so that a large
 * message costs as few system calls as an echo can make of it (with 64 KiB the raw echo made 16
 * writes per S3 message and fell behind a WebSocket server that writes each message at once). A
 * short write parks the rest with the connection and swaps OP_READ for OP_WRITE, so that a
 * connection whose peer does not read stops being read until its bytes are out, and nothing is
 * buffered beyond one read per connection.
 */
final class RawEchoServer implements EchoServer {
    private static final int BUFFER_SIZE = 1024 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private Selector selector;
    private ServerSocketChannel listener;

    @Override
    public int start(Options options) throws IOException {
        if (options.tls() || options.deflate()) {
            throw new IllegalArgumentException("raw is a plain TCP echo: it takes neither --tls nor --deflate");
        }
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(HOST, options.port()), BACKLOG);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        new Thread(this::run, "raw-echo").start();
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private void run() {
        try {
            while (true) {
                selector.select();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    handle(key);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without its only thread the server is dead: say so rather than hang the benchmark.
            System.err.println("raw echo loop failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            acceptAll();
            return;
        }
        try {
            if (key.isWritable()) {
                drain(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // Such as too many open files: the connection stays queued; try again next round.
                System.err.println("raw echo accept failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ);
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        buffer.clear();
        if (channel.read(buffer) < 0) {
            close(key);
            return;
        }
        buffer.flip();
        channel.write(buffer);
        if (buffer.hasRemaining()) {
            // The shared buffer is needed for the next connection: keep a copy of what is left.
            key.attach(ByteBuffer.allocate(buffer.remaining()).put(buffer).flip());
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private static void drain(SelectionKey key) throws IOException {
        ByteBuffer rest = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(rest);
        if (!rest.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        closeQuietly((SocketChannel) key.channel());
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}

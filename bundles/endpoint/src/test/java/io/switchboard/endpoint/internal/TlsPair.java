package io.switchboard.endpoint.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

import io.switchboard.testing.TestKeys;

/**
 * A {@link TlsChannel} on a real loopback socket, and the JDK's client {@link SSLEngine} at the
 * other end, both driven from the test's thread so that a test decides which bytes each side has
 * seen when: the client's ciphertext can be cut anywhere before the server reads it. Both sockets
 * are non-blocking; bytes written to one end of a loopback connection are readable at the other
 * when the write returns.
 */
final class TlsPair implements AutoCloseable {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    final TlsChannel server;
    final SSLEngine client;
    private final SocketChannel serverSide;
    private final SocketChannel clientSide;
    /** The loop's read buffer, as the connection gives it to {@link TlsChannel#read}. */
    private final ByteBuffer serverDst = ByteBuffer.allocate(64 * 1024);
    final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    private ByteBuffer clientNetIn = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer clientApp = ByteBuffer.allocate(64 * 1024);
    final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();
    boolean serverEnded;

    TlsPair(ArrayDeque<ByteBuffer> pool) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            clientSide = SocketChannel.open(listener.getLocalAddress());
            serverSide = listener.accept();
        }
        serverSide.configureBlocking(false);
        // No Nagle: a few bytes written must reach the server now, not after the previous ones' ACK.
        clientSide.setOption(StandardSocketOptions.TCP_NODELAY, true);
        serverSide.setOption(StandardSocketOptions.TCP_NODELAY, true);
        clientSide.configureBlocking(false);
        SSLEngine serverEngine = TestKeys.server().createSSLEngine();
        serverEngine.setUseClientMode(false);
        server = new TlsChannel(serverSide, serverEngine, pool, null, null);
        client = TestKeys.client().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.beginHandshake();
    }

    /** Completes the handshake, the server's session tickets included. */
    TlsPair handshake() throws IOException {
        await(() -> {
            clientStep();
            serverRead();
            return client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !server.waitingForPeer();
        }, "the handshake");
        // The tickets the server sends after its Finished: the client takes them in as it would data.
        byte[] ping = "after the handshake".getBytes();
        clientWrite(clientWrap(ping));
        await(() -> {
            serverRead();
            clientRead();
            return serverReceived.size() == ping.length;
        }, "the first record after the handshake");
        serverReceived.reset();
        return this;
    }

    /** The client's ciphertext for {@code plaintext}: whole records, not yet sent. */
    ByteBuffer clientWrap(byte[] plaintext) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(plaintext);
        ByteBuffer out = ByteBuffer.allocate(plaintext.length + 1024);
        do {
            if (out.remaining() < client.getSession().getPacketBufferSize()) {
                out = ByteBuffer.allocate(out.capacity() * 2 + client.getSession().getPacketBufferSize()).put(out.flip());
            }
            SSLEngineResult result = client.wrap(source, out);
            assertEquals(SSLEngineResult.Status.OK, result.getStatus(), "client wrap");
        } while (source.hasRemaining());
        return out.flip();
    }

    /** The client's close_notify, not yet sent. */
    ByteBuffer clientCloseNotify() throws IOException {
        client.closeOutbound();
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        return out.flip();
    }

    /** Writes all of {@code ciphertext}, the server reading meanwhile when the socket is full. */
    void clientWrite(ByteBuffer ciphertext) throws IOException {
        await(() -> {
            clientSide.write(ciphertext);
            if (ciphertext.hasRemaining()) {
                serverRead();
            }
            return !ciphertext.hasRemaining();
        }, "the client's write");
    }

    /** One read on the server, as the loop does on a readiness event; what it returns is kept. */
    int serverRead() throws IOException {
        serverDst.clear();
        int read = server.read(null, serverDst);
        if (read < 0) {
            serverEnded = true;
        } else {
            serverReceived.write(serverDst.array(), 0, serverDst.position());
        }
        return read;
    }

    /** What the client's socket has, unwrapped. */
    void clientRead() throws IOException {
        if (clientSide.read(clientNetIn) < 0 && clientNetIn.position() == 0) {
            return;
        }
        clientNetIn.flip();
        while (clientNetIn.hasRemaining()) {
            clientApp.clear();
            SSLEngineResult result = client.unwrap(clientNetIn, clientApp);
            clientReceived.write(clientApp.array(), 0, clientApp.position());
            runTasks(client);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || result.getStatus() == SSLEngineResult.Status.CLOSED
                    || (result.bytesConsumed() == 0 && result.bytesProduced() == 0)) {
                break;
            }
        }
        clientNetIn.compact();
        if (!clientNetIn.hasRemaining()) {
            clientNetIn = ByteBuffer.allocate(clientNetIn.capacity() * 2).put(clientNetIn.flip());
        }
    }

    private void clientStep() throws IOException {
        HandshakeStatus status = client.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_WRAP) {
            ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            client.wrap(ByteBuffer.allocate(0), out);
            runTasks(client);
            clientWrite(out.flip());
        } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            clientRead();
        } else {
            runTasks(client);
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** Repeats {@code step} until it says done; fails after ten seconds. */
    static void await(IoCondition step, String what) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!step.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " did not complete within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    static void assertIdle(TlsPair pair, String when) {
        assertTrue(!pair.server.holdsBuffers() && !pair.server.hasBufferedInput() && !pair.server.hasPendingOutput(),
                when + ": an idle connection holds no buffer");
    }

    @Override
    public void close() throws IOException {
        try {
            server.close(null);
        } finally {
            clientSide.close();
        }
    }

    /** A step that may do I/O. */
    interface IoCondition {
        boolean getAsBoolean() throws IOException;
    }
}

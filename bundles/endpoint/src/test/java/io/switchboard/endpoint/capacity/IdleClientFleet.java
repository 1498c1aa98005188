package io.switchboard.endpoint.capacity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.switchboard.testing.Frames;
import io.switchboard.testing.UpgradeRequest;

/**
 * The client side of {@link IdleConnectionCapacityTest}, run in its own JVM so that the server's
 * process has the whole open-file limit for its side of the connections.
 *
 * <p>Arguments: {@code host port path count perSourceAddress window connectTimeoutMillis
 * closeTimeoutMillis}. Connection {@code i} is bound to the source address
 * {@code 127.0.0.(2 + i / perSourceAddress)}, so that ports left in TIME_WAIT by earlier runs
 * cannot run out. At most {@code window} connections are between connect() and the 101 answer at
 * any time, which keeps the server's accept queue (backlog 1024) from overflowing.
 *
 * <p>Protocol, one line each way:
 * <pre>
 * out: LIMITS ...           the open-file limits and descriptors this process sees
 * out: HELLO                ready to connect        (or FAILED reason, then exit 2)
 * in:  CONNECT
 * out: READY count millis   every connection got its 101 (or FAILED reason, then exit 1)
 * in:  CLOSE                (watches for unexpected drops while waiting)
 * out: DONE ...             masked Close(1000) sent on each, each answered or timed out, all closed
 * </pre>
 * Details and errors go to stderr.
 */
public final class IdleClientFleet {
    private static final int MAX_FAILURES_SHOWN = 5;

    private final InetSocketAddress server;
    private final String path;
    private final int count;
    private final int perSourceAddress;
    private final int window;
    private final Conn[] conns;
    private final Selector selector;
    private final List<String> failures = new ArrayList<>();
    private int failureCount;
    private int dropped;
    private int unexpectedBytes;

    private static final class Conn {
        final int index;
        SocketChannel channel;
        SelectionKey key;
        String wsKey;
        ByteBuffer out;
        byte[] in = new byte[512];
        int inLength;
        boolean upgraded;
        boolean closed;

        Conn(int index) {
            this.index = index;
        }
    }

    private IdleClientFleet(InetSocketAddress server, String path, int count, int perSourceAddress, int window)
            throws IOException {
        this.server = server;
        this.path = path;
        this.count = count;
        this.perSourceAddress = perSourceAddress;
        this.window = window;
        this.conns = new Conn[count];
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int count = Integer.parseInt(args[3]);
        int perSourceAddress = Integer.parseInt(args[4]);
        int window = Integer.parseInt(args[5]);
        long connectTimeoutMillis = Long.parseLong(args[6]);
        long closeTimeoutMillis = Long.parseLong(args[7]);

        long[] limits = OpenFiles.limits();
        int open = OpenFiles.open();
        long needed = (long) open + count + 64;
        out.println("LIMITS soft=" + limits[0] + " hard=" + limits[1] + " open=" + open + " needed=" + needed
                + " (" + OpenFiles.limitsLine() + ")");
        if (limits[0] >= 0 && limits[0] < needed) {
            out.println("FAILED the client process may open only " + limits[0] + " files (soft limit; hard limit "
                    + limits[1] + ") but needs about " + needed + " for " + count + " connections; "
                    + (limits[1] >= needed ? "'ulimit -n " + limits[1] + "' in the launching shell did not take"
                            : "the hard limit is too low too, and only root can raise it"));
            out.flush();
            System.exit(2);
        }
        if ((count + perSourceAddress - 1) / perSourceAddress > 253) {
            out.println("FAILED " + count + " connections at " + perSourceAddress
                    + " per source address need more than 127.0.0.2 .. 127.0.0.254");
            out.flush();
            System.exit(2);
        }

        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        Thread stdin = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    commands.add(line.trim());
                }
            } catch (IOException e) {
                System.err.println("reading stdin: " + e);
            }
            commands.add("EOF");
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();

        IdleClientFleet fleet = new IdleClientFleet(new InetSocketAddress(host, port), path, count, perSourceAddress, window);
        out.println("HELLO");
        out.flush();
        String command = commands.poll(60, TimeUnit.SECONDS);
        if (!"CONNECT".equals(command)) {
            System.err.println("expected CONNECT, got " + command);
            System.exit(3);
        }

        long started = System.nanoTime();
        String problem = fleet.connectAll(started + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (problem != null) {
            out.println("FAILED " + problem + " (after " + millis + " ms)");
            out.flush();
            System.exit(1);
        }
        out.println("READY " + count + " " + millis);
        out.flush();

        while (true) {
            command = commands.poll();
            if (command == null) {
                fleet.watch(200);
                continue;
            }
            if (command.equals("CLOSE")) {
                break;
            }
            if (command.equals("EOF")) {
                System.err.println("stdin closed before CLOSE: leaving without closing handshakes");
                System.exit(4);
            }
            System.err.println("ignoring unknown command " + command);
        }
        out.println("DONE " + fleet.closeAll(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMillis)));
        out.flush();
        System.exit(0);
    }

    private InetSocketAddress sourceAddress(int index) {
        return new InetSocketAddress("127.0.0." + (2 + index / perSourceAddress), 0);
    }

    /** Opens every connection and upgrades it; returns null when all are upgraded, else what went wrong. */
    private String connectAll(long deadline) throws IOException {
        int started = 0;
        int upgraded = 0;
        int inFlight = 0;
        while (upgraded + failureCount < count) {
            if (System.nanoTime() - deadline > 0) {
                return "timed out: " + upgraded + " of " + count + " upgraded, " + started + " started, "
                        + inFlight + " waiting for the 101 answer, " + failureCount + " failed " + failures;
            }
            while (started < count && inFlight < window) {
                Conn conn = new Conn(started++);
                conns[conn.index] = conn;
                inFlight++;
                try {
                    open(conn);
                } catch (IOException e) {
                    fail(conn, "connect from " + sourceAddress(conn.index).getAddress().getHostAddress(), e);
                    inFlight--;
                }
            }
            selector.select(100);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                Conn conn = (Conn) key.attachment();
                boolean wasWaiting = !conn.upgraded && !conn.closed;
                try {
                    handshakeStep(conn, key);
                } catch (IOException e) {
                    fail(conn, "handshake", e);
                }
                if (wasWaiting && (conn.upgraded || conn.closed)) {
                    inFlight--;
                    if (conn.upgraded) {
                        upgraded++;
                    }
                }
            }
        }
        return failureCount == 0 ? null
                : failureCount + " of " + count + " connections failed (" + upgraded + " upgraded); first ones: " + failures;
    }

    private void open(Conn conn) throws IOException {
        SocketChannel channel = SocketChannel.open();
        conn.channel = channel;
        channel.configureBlocking(false);
        channel.bind(sourceAddress(conn.index));
        conn.wsKey = UpgradeRequest.newKey();
        conn.out = ByteBuffer.wrap(UpgradeRequest.bytes(
                server.getHostString() + ":" + server.getPort(), path, conn.wsKey));
        boolean connected = channel.connect(server);
        conn.key = channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, conn);
    }

    private void handshakeStep(Conn conn, SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            if (conn.channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            return;
        }
        if (key.isWritable()) {
            conn.channel.write(conn.out);
            if (!conn.out.hasRemaining()) {
                conn.out = null;
                key.interestOps(SelectionKey.OP_READ);
            }
            return;
        }
        if (key.isReadable()) {
            if (conn.upgraded) {
                readWhileIdle(conn);
                return;
            }
            if (conn.inLength == conn.in.length) {
                throw new IOException("no end of the response head in " + conn.inLength + " bytes: "
                        + new String(conn.in, 0, conn.inLength, StandardCharsets.ISO_8859_1));
            }
            int read = conn.channel.read(ByteBuffer.wrap(conn.in, conn.inLength, conn.in.length - conn.inLength));
            if (read < 0) {
                throw new IOException("the server closed before a complete response head; got '"
                        + new String(conn.in, 0, conn.inLength, StandardCharsets.ISO_8859_1) + "'");
            }
            conn.inLength += read;
            int head = UpgradeRequest.headLength(conn.in, conn.inLength);
            if (head < 0) {
                return;
            }
            String problem = UpgradeRequest.checkSwitchingProtocols(
                    new String(conn.in, 0, head, StandardCharsets.ISO_8859_1), conn.wsKey);
            if (problem != null) {
                throw new IOException("bad upgrade answer: " + problem);
            }
            if (head < conn.inLength) {
                unexpectedBytes += conn.inLength - head;
                System.err.println("connection " + conn.index + ": " + (conn.inLength - head)
                        + " unexpected bytes after the 101 head");
            }
            conn.upgraded = true;
            conn.in = null;
            conn.wsKey = null;
        }
    }

    /** Reads from an upgraded, idle connection: the server has no reason to send anything. */
    private void readWhileIdle(Conn conn) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(256);
        int read = conn.channel.read(scratch);
        if (read < 0) {
            dropped++;
            System.err.println("connection " + conn.index + " from " + conn.channel.getLocalAddress()
                    + " was closed by the server while idle");
            conn.closed = true;
            conn.channel.close();
        } else {
            unexpectedBytes += read;
            System.err.println("connection " + conn.index + ": " + read + " unexpected bytes while idle");
        }
    }

    /** Waits up to {@code millis} for anything to happen on the idle connections, and notes it. */
    private void watch(long millis) throws IOException {
        selector.select(millis);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Conn conn = (Conn) key.attachment();
            try {
                if (key.isValid() && key.isReadable()) {
                    readWhileIdle(conn);
                }
            } catch (IOException e) {
                dropped++;
                conn.closed = true;
                conn.channel.close();
                System.err.println("connection " + conn.index + " failed while idle: " + e);
            }
        }
    }

    /**
     * Sends a masked Close(1000) on every open connection, then waits for the server's Close
     * frame and for its end of the TCP connection (the server closes first, as RFC 6455 §7.1.1
     * asks), up to the deadline; then closes every socket.
     */
    private String closeAll(long deadline) throws IOException {
        int open = 0;
        int sendFailures = 0;
        for (Conn conn : conns) {
            if (conn == null || conn.closed || !conn.upgraded) {
                continue;
            }
            conn.in = new byte[16];
            conn.inLength = 0;
            conn.out = ByteBuffer.wrap(Frames.masked(Frames.FIN | Frames.CLOSE, Frames.closePayload(1000, ""), conn.index));
            try {
                conn.channel.write(conn.out);
                conn.key.interestOps(conn.out.hasRemaining()
                        ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                open++;
            } catch (IOException e) {
                sendFailures++;
                System.err.println("connection " + conn.index + ": sending Close failed: " + e);
                conn.closed = true;
                conn.channel.close();
            }
        }
        int echoed = 0;
        int endedWithoutClose = 0;
        int resets = 0;
        while (open > 0 && System.nanoTime() - deadline < 0) {
            selector.select(100);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                Conn conn = (Conn) key.attachment();
                if (conn.closed || !key.isValid()) {
                    continue;
                }
                try {
                    if (key.isWritable()) {
                        conn.channel.write(conn.out);
                        if (!conn.out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isReadable()) {
                        int room = conn.in.length - conn.inLength;
                        ByteBuffer into = room > 0 ? ByteBuffer.wrap(conn.in, conn.inLength, room) : ByteBuffer.allocate(64);
                        int read = conn.channel.read(into);
                        if (read > 0 && room > 0) {
                            conn.inLength += read;
                        }
                        if (read < 0) {
                            boolean closeFrame = conn.inLength >= 4 && (conn.in[0] & 0xff) == 0x88
                                    && (conn.in[1] & 0x7f) >= 2 && (((conn.in[2] & 0xff) << 8) | (conn.in[3] & 0xff)) == 1000;
                            if (closeFrame) {
                                echoed++;
                            } else {
                                endedWithoutClose++;
                                if (endedWithoutClose <= MAX_FAILURES_SHOWN) {
                                    System.err.println("connection " + conn.index + " ended without a Close(1000) answer; got "
                                            + conn.inLength + " bytes");
                                }
                            }
                            conn.closed = true;
                            conn.channel.close();
                            open--;
                        }
                    }
                } catch (IOException e) {
                    resets++;
                    if (resets <= MAX_FAILURES_SHOWN) {
                        System.err.println("connection " + conn.index + " failed while closing: " + e);
                    }
                    conn.closed = true;
                    conn.channel.close();
                    open--;
                }
            }
        }
        int timedOut = open;
        for (Conn conn : conns) {
            if (conn != null && !conn.closed && conn.channel != null) {
                conn.closed = true;
                conn.channel.close();
            }
        }
        selector.close();
        return "echoed=" + echoed + " endedWithoutClose=" + endedWithoutClose + " resets=" + resets
                + " sendFailures=" + sendFailures + " timedOut=" + timedOut
                + " droppedWhileIdle=" + dropped + " unexpectedBytes=" + unexpectedBytes;
    }

    private void fail(Conn conn, String what, IOException e) {
        failureCount++;
        if (failures.size() < MAX_FAILURES_SHOWN) {
            failures.add("#" + conn.index + " " + what + ": " + e);
        }
        System.err.println("connection " + conn.index + " failed in " + what + ": " + e);
        conn.closed = true;
        if (conn.channel != null) {
            try {
                conn.channel.close();
            } catch (IOException ignored) {
                // already failed
            }
        }
    }
}

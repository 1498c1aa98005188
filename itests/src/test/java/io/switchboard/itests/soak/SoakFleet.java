package io.switchboard.itests.soak;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import io.switchboard.testing.Frames;
import io.switchboard.testing.UpgradeRequest;

/**
 * The idle fleet of {@link SoakIT}, run in a child JVM (the test copies this class file to a
 * temporary folder and starts {@code java -cp folder:testing.jar}: the JDK and the handshake and
 * frame bytes of the test-support bundle, nothing else), so that the server's process keeps its
 * open-file limit for the server side. Arguments: {@code host port path count perSourceAddress}.
 * Connection i binds to 127.0.0.(2 + i / perSourceAddress).
 * Out: {@code READY n millis} (or {@code FAILED reason}); in: {@code CLOSE}; out: {@code DONE dropped=d}
 * where d counts connections the server closed while they were meant to stay idle.
 */
public final class SoakFleet {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int count = Integer.parseInt(args[3]);
        int perAddress = Integer.parseInt(args[4]);
        Selector selector = Selector.open();
        SocketChannel[] channels = new SocketChannel[count];
        StringBuilder[] heads = new StringBuilder[count];
        String[] keys = new String[count];
        int upgraded = 0, started = 0, inFlight = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + 120_000_000_000L;
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (upgraded < count) {
            if (System.nanoTime() > deadline) {
                System.out.println("FAILED timeout, upgraded " + upgraded + " of " + count);
                System.exit(1);
            }
            while (started < count && inFlight < 200) {
                int i = started++;
                SocketChannel ch = SocketChannel.open();
                ch.bind(new InetSocketAddress("127.0.0." + (2 + i / perAddress), 0));
                ch.connect(new InetSocketAddress(host, port));
                keys[i] = UpgradeRequest.newKey();
                ByteBuffer out = ByteBuffer.wrap(UpgradeRequest.bytes(host + ":" + port, path, keys[i]));
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, i);
                channels[i] = ch;
                heads[i] = new StringBuilder();
                inFlight++;
            }
            selector.select(100);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                int i = (Integer) k.attachment();
                buf.clear();
                int n = ((SocketChannel) k.channel()).read(buf);
                if (n < 0) {
                    System.out.println("FAILED connection " + i + " closed during the handshake: " + heads[i]);
                    System.exit(1);
                }
                heads[i].append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                if (heads[i].indexOf("\r\n\r\n") >= 0) {
                    String problem = UpgradeRequest.checkSwitchingProtocols(heads[i].toString(), keys[i]);
                    if (problem != null) {
                        System.out.println("FAILED connection " + i + ": " + problem);
                        System.exit(1);
                    }
                    heads[i] = null;
                    upgraded++;
                    inFlight--;
                    k.attach(-1 - i); // upgraded: any further input is unexpected
                }
            }
        }
        System.out.println("READY " + count + " " + (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    String line = in.readLine();
                    if (line == null || line.trim().equals("CLOSE")) {
                        break;
                    }
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        });
        reader.setDaemon(true);
        reader.start();
        int dropped = 0;
        while (reader.isAlive()) {
            selector.select(200);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                buf.clear();
                int n;
                try {
                    n = ((SocketChannel) k.channel()).read(buf);
                } catch (Exception e) {
                    n = -1;
                }
                if (n < 0) {
                    dropped++;
                    k.cancel();
                    k.channel().close();
                }
            }
        }
        closeAll(selector, channels, buf);
        System.out.println("DONE dropped=" + dropped);
        System.out.flush();
    }

    /**
     * A masked Close(1000) on each open connection; then, until each has ended or 10 s have passed,
     * reads what comes back: the server answers with its Close and ends the TCP connection first.
     * Whatever is left open after that is closed from this side.
     */
    private static void closeAll(Selector selector, SocketChannel[] channels, ByteBuffer buf) throws Exception {
        byte[] close = Frames.masked(Frames.FIN | Frames.CLOSE, Frames.closePayload(1000, ""), 0x01020304);
        int open = 0;
        for (SocketChannel ch : channels) {
            if (ch.isOpen()) {
                try {
                    ch.write(ByteBuffer.wrap(close));
                    open++;
                } catch (Exception e) {
                    ch.close();
                }
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (open > 0 && System.nanoTime() < deadline) {
            selector.select(100);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) k.channel();
                buf.clear();
                int n;
                try {
                    n = ch.read(buf);
                } catch (Exception e) {
                    n = -1;
                }
                if (n < 0) {
                    k.cancel();
                    ch.close();
                    open--;
                }
            }
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
    }
}

package io.switchboard.itests.soak;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The idle fleet of {@link SoakIT}, run in a child JVM (JDK classes only: the test copies this
 * class file to a temporary folder and starts {@code java -cp folder}), so that the server's
 * process keeps its open-file limit for the server side. Arguments: {@code host port path count
 * perSourceAddress}. Connection i binds to 127.0.0.(2 + i / perSourceAddress).
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
                byte[] key = new byte[16];
                ThreadLocalRandom.current().nextBytes(key);
                String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
                ByteBuffer out = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
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
                    if (!heads[i].toString().startsWith("HTTP/1.1 101")) {
                        System.out.println("FAILED connection " + i + ": " + heads[i].toString().split("\r\n")[0]);
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
        // A masked Close(1000) on each, then TCP close after a short wait for the server's Close.
        byte[] close = {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, (byte) (0x03 ^ 1), (byte) (0xE8 ^ 2)};
        for (SocketChannel ch : channels) {
            if (ch.isOpen()) {
                try {
                    ch.write(ByteBuffer.wrap(close));
                } catch (Exception ignored) {
                    // counted below as nothing
                }
            }
        }
        Thread.sleep(500);
        for (SocketChannel ch : channels) {
            ch.close();
        }
        System.out.println("DONE dropped=" + dropped);
        System.out.flush();
    }
}

package io.switchboard.benchmarks.servers;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard as a user first runs it: {@code ./switchboard}'s launcher, in this JVM, with its
 * embedded Felix, the whiteboard, the default endpoint file and the echo example's bundle on
 * {@code /echo} — so the handshake goes through ConfigAdmin's endpoint, the whiteboard's routing
 * and a handler service, not through a builder. The launcher jar must be on the class path beside
 * this one (the benchmark script puts it there); it finds its bundles next to itself. Its defaults
 * stay as shipped (1 MiB messages, 4,096 connections per address), so only the scenarios that fit
 * them run on it: S1, S2 and S4.
 */
final class LauncherEchoServer implements EchoServer {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Override
    public int start(Options options) throws Exception {
        if (options.tls() || options.deflate() || options.port() == 0) {
            throw new IllegalArgumentException("the launcher runs plain ws on a given port only");
        }
        Path folders = Files.createTempDirectory("bench-launcher-");
        String[] args = {"--host", HOST, "--port", Integer.toString(options.port()),
                "--deploy", folders.resolve("deploy").toString(), "--etc", folders.resolve("etc").toString()};
        Method main = Class.forName("io.switchboard.launcher.Main").getMethod("main", String[].class);
        Thread launcher = new Thread(() -> {
            try {
                main.invoke(null, (Object) args); // serves until the JVM exits
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
                System.exit(1);
            }
        }, "launcher");
        launcher.start();
        awaitListening(options.port(), launcher);
        return options.port();
    }

    /** The launcher prints when it listens, to its own stdout; a connect is the signal this side can see. */
    private static void awaitListening(int port, Thread launcher) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException notYet) {
                if (!launcher.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IOException("the launcher did not listen on port " + port, notYet);
                }
                Thread.sleep(50); // polling a port that is not bound yet: there is no event to wait for
            }
        }
    }
}

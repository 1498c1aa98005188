package io.switchboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process (Debian's {@code redis-server} on the PATH; the project's .ci/run
 * installs it) on a free loopback port, without persistence, for tests of the Redis relay: it
 * can crash ({@link #kill}), come back on the same port ({@link #launch}) and stop answering
 * ({@link #pause}). Started and ended by its PID. Used by one test thread.
 */
public final class RedisServer implements AutoCloseable {
    private static final String READY = "Ready to accept connections";

    private final int port;
    private final String password;
    private Process process;

    private RedisServer(int port, String password) {
        this.port = port;
        this.password = password;
    }

    /** Starts a server without a password; returns once it accepts connections. */
    public static RedisServer start() throws IOException {
        return start(null);
    }

    /** A server that requires this password ({@code requirepass}), or none if null. */
    public static RedisServer start(String password) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer redis = new RedisServer(port, password);
        redis.launch();
        return redis;
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, after {@link #kill}) and returns once it says it accepts connections. */
    public void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "notice"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = output.readLine()) != null) {
            lines.add(line);
            if (line.contains(READY)) {
                drainInBackground(output);
                return;
            }
        }
        throw new IOException("redis-server on port " + port + " ended before it was ready: " + lines);
    }

    /** Keeps reading the server's log so that it never blocks on a full pipe. */
    private static void drainInBackground(BufferedReader output) {
        Thread drain = new Thread(() -> {
            try {
                while (output.readLine() != null) {
                    // discarded
                }
            } catch (IOException ended) {
                // the server ended
            }
        }, "redis-server-log");
        drain.setDaemon(true);
        drain.start();
    }

    /** SIGKILL, as a crash: nothing is said to the clients, their sockets just end. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("redis-server " + process.pid() + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while ending redis-server " + process.pid(), e);
        }
    }

    /** SIGSTOP: the server keeps its sockets and answers nothing, as a Redis too slow to keep up. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill(); // SIGKILL ends a stopped process too
        }
    }
}

package io.switchboard.cluster.redis;

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
 * A real redis-server (Debian's, installed by .ci/run) on a free loopback port, without
 * persistence, for one test class. Started and ended by its PID; restarts keep the port. Used by
 * the test thread only.
 */
final class RedisProcess implements AutoCloseable {
    private static final String READY = "Ready to accept connections";

    private final int port;
    private final String password;
    private Process process;

    private RedisProcess(int port, String password) {
        this.port = port;
        this.password = password;
    }

    static RedisProcess start() throws IOException {
        return start(null);
    }

    /** A server that requires this password ({@code requirepass}), or none if null. */
    static RedisProcess start(String password) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisProcess redis = new RedisProcess(port, password);
        redis.launch();
        return redis;
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts the server and returns once it says it accepts connections. */
    void launch() throws IOException {
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
    void kill() {
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
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    void resume() throws IOException, InterruptedException {
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

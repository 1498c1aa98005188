package io.switchboard.benchmarks.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Answers the load generator's questions about the server process over plain TCP on loopback,
 * one line per command and one line per answer: {@code heap} (used heap in bytes, after three
 * GCs), {@code cpu} (process CPU time in nanoseconds), {@code threads} (live threads),
 * {@code subscribers N} (in fan-out mode: waits up to 30 s for N subscribers, answers the count) and
 * {@code quit} (answers {@code bye}, then exits with status 0). Clients are served one after
 * another on a single daemon thread, which stays off the hot path between commands.
 */
final class ControlPort {
    private static final int GC_ROUNDS = 3;
    private static final long GC_PAUSE_MILLIS = 200;
    private static final long SUBSCRIBERS_TIMEOUT_MILLIS = 30_000;

    private final ServerSocket listener;
    private final Subscribers subscribers;

    private ControlPort(ServerSocket listener, Subscribers subscribers) {
        this.listener = listener;
        this.subscribers = subscribers;
    }

    /** Binds 127.0.0.1:{@code port} and serves on a daemon thread. */
    static void start(int port, Subscribers subscribers) throws IOException {
        ControlPort control = new ControlPort(new ServerSocket(port, 50, InetAddress.getByName(EchoServer.HOST)),
                subscribers);
        Thread thread = new Thread(control::serve, "control-port");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (true) {
            try (Socket client = listener.accept()) {
                converse(client);
            } catch (IOException e) {
                System.err.println("control port: " + e);
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            out.write(answer(command) + "\n");
            out.flush();
            if (command.equals("quit")) {
                System.exit(0);
            }
        }
    }

    private String answer(String command) {
        if (command.startsWith("subscribers ")) {
            return awaitSubscribers(command.substring("subscribers ".length()).trim());
        }
        return switch (command) {
            case "heap" -> Long.toString(usedHeapAfterGc());
            case "cpu" -> Long.toString(processCpuNanos());
            case "threads" -> Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount());
            case "quit" -> "bye";
            default -> "error unknown command";
        };
    }

    private String awaitSubscribers(String expected) {
        try {
            return Integer.toString(subscribers.awaitAtLeast(Integer.parseInt(expected), SUBSCRIBERS_TIMEOUT_MILLIS));
        } catch (NumberFormatException e) {
            return "error subscribers needs a number, not " + expected;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error interrupted";
        }
    }

    /** Several collections with pauses, so that the figure is live data rather than garbage. */
    private static long usedHeapAfterGc() {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            try {
                Thread.sleep(GC_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime();
    }
}

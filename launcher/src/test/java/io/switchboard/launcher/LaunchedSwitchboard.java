package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged launcher run as {@code ./switchboard} runs it, in a child process with its own
 * deploy and etc folders, and every line it has printed (stdout and stderr together). A reader
 * thread collects the lines; test threads wait on them.
 */
final class LaunchedSwitchboard implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("switchboard.launcher.jar", "target/switchboard-launcher.jar"));
    private static final long WAIT_SECONDS = 60;

    final Process process;
    final Path deploy;
    final Path etc;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> drained = new CompletableFuture<>();

    private LaunchedSwitchboard(Process process, Path deploy, Path etc) {
        this.process = process;
        this.deploy = deploy;
        this.etc = etc;
    }

    /** Starts the launcher with {@code root}/deploy and {@code root}/etc as its folders. */
    static LaunchedSwitchboard start(Path root, String... arguments) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing; run the package phase first");
        Path deploy = root.resolve("deploy");
        Path etc = root.resolve("etc");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--deploy", deploy.toString(), "--etc", etc.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        LaunchedSwitchboard launched = new LaunchedSwitchboard(process, deploy, etc);
        Thread reader = new Thread(launched::drain, "launcher-output");
        reader.setDaemon(true);
        reader.start();
        return launched;
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            lines.add("(reading the output failed: " + e + ")");
        }
        synchronized (lines) {
            drained.complete(null);
            lines.notifyAll();
        }
    }

    /** Waits for a line starting with {@code prefix} and returns it. */
    String awaitLine(String prefix) throws InterruptedException {
        return awaitLine(line -> line.startsWith(prefix), "starting with '" + prefix + "'", 0);
    }

    /** Waits for a line that contains {@code text} and comes after the first {@code skip} lines. */
    String awaitLineContaining(String text, int skip) throws InterruptedException {
        return awaitLine(line -> line.contains(text), "containing '" + text + "'", skip);
    }

    /** How many lines have come so far: a mark for {@link #awaitLineContaining} to wait past. */
    int lineCount() {
        return lines.size();
    }

    private String awaitLine(Predicate<String> wanted, String description, int skip) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        synchronized (lines) {
            while (true) {
                for (String line : lines.subList(Math.min(skip, lines.size()), lines.size())) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (drained.isDone() || left <= 0) {
                    throw new AssertionError("no line " + description + " in:\n" + output());
                }
                lines.wait(left);
            }
        }
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}

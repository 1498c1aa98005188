package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.JdkWebSocketClient.Closed;

/**
 * {@code ./switchboard --shell}: the packaged launcher in a child process, its Gogo console driven
 * through a pipe as a user would type, and real clients on its endpoint. Each command's rows are
 * checked against what the clients did.
 */
class ShellIT {
    private static final Path JAR = Path.of(System.getProperty("switchboard.launcher.jar", "target/switchboard-launcher.jar"));
    private static final long WAIT_SECONDS = 60;
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(30);
    private static final String PROMPT = "g! ";
    /** A {@code lb -s} row: id, state, level, symbolic name (version). */
    private static final Pattern BUNDLE_ROW = Pattern.compile("\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*\\d+\\|(\\S+) \\(.*");

    @TempDir
    Path root;
    private Console console;

    @AfterEach
    void killLeftovers() {
        if (console != null) {
            console.process.destroyForcibly();
        }
    }

    @Test
    void theSwitchboardCommandsAndGogosOwnWorkOnTheLiveServer() throws Exception {
        console = Console.start(root);
        int port = console.awaitPrompt();
        try (JdkWebSocketClient doomed = open(port); JdkWebSocketClient survivor = open(port)) {
            assertEquals("hello", doomed.request("hello"));
            assertEquals("hi", survivor.request("hi"));

            List<String> endpoint = single(rows(console.run("switchboard:endpoints")));
            assertEquals("default", endpoint.get(0));
            assertEquals(String.valueOf(port), endpoint.get(2));
            assertEquals("false", endpoint.get(3));
            assertEquals("2", endpoint.get(4));

            List<String> echo = handlerOf("/echo");
            assertEquals("bound", echo.get(0));
            assertTrue(echo.get(3).startsWith("io.switchboard.examples.echo ["), echo.toString());
            assertEquals("default", echo.get(5));

            List<List<String>> connections = rows(console.run("switchboard:connections"));
            assertEquals(2, connections.size(), connections.toString());
            for (List<String> connection : connections) {
                assertEquals("default", connection.get(1));
                assertEquals("/echo", connection.get(2));
                assertTrue(connection.get(3).startsWith("127.0.0.1:"), connection.toString());
                assertNotEquals("(waiting for a handler)", connection.get(4));
                assertTrue(connection.get(5).matches("\\d+s"), connection.toString());
                assertTrue(Long.parseLong(connection.get(6)) >= 2, connection.toString()); // "hi" at least came in
                assertTrue(Long.parseLong(connection.get(7)) >= 2, connection.toString()); // and went out
            }

            // Gogo's own: lb lists every bundle of the server, active, and update swaps the echo
            // handler while its clients stay connected.
            Map<String, String> states = bundleStates();
            for (String bundle : List.of("io.switchboard.api", "io.switchboard.codec", "io.switchboard.handshake",
                    "io.switchboard.endpoint", "io.switchboard.whiteboard", "io.switchboard.examples.echo",
                    "io.switchboard.shell", "org.apache.felix.gogo.jline")) {
                assertEquals("Active", states.get(bundle), bundle + " in " + states);
            }
            console.run("update " + bundleId("io.switchboard.examples.echo"));
            List<String> swapped = handlerOf("/echo");
            assertNotEquals(echo.get(1), swapped.get(1), "a new echo service after the update");
            assertEquals("still there?", survivor.request("still there?"));

            // Ids grow, and the doomed client was connected first.
            long doomedId = connections.stream().mapToLong(row -> Long.parseLong(row.get(0))).min().orElseThrow();
            assertEquals(List.of("Closed connection " + doomedId + " of endpoint default"),
                    console.run("switchboard:close " + doomedId + " bye"));
            assertEquals(new Closed(1000, "bye"), doomed.awaitClose(CLIENT_WAIT));
            assertEquals(List.of("java.lang.IllegalArgumentException: No live connection has the id 987654"),
                    console.run("switchboard:close 987654"));
            assertEquals("and now?", survivor.request("and now?"));

            // switchboard:connect goes out through the SwitchboardClient service, on the endpoint's
            // loops, and prints the echoes in this session, not on the loop's thread.
            assertEquals(List.of("Connected to ws://127.0.0.1:" + port + "/echo", "> one", "> two", "< one", "< two",
                    "Closed: 1000"), console.run("switchboard:connect -w 500 ws://127.0.0.1:" + port + "/echo one two"));

            // stop 0 stops the framework: the survivor gets 1001, the launcher exits 0.
            console.send("stop 0");
            assertEquals(1001, survivor.awaitClose(CLIENT_WAIT).code());
            console.awaitExit();
            assertEquals(0, console.process.exitValue(), console.output());
            assertTrue(console.output().contains("Switchboard stopped."), console.output());
        }
    }

    @Test
    void theEndOfTheConsolesInputStopsTheServerCleanly() throws Exception {
        console = Console.start(root);
        int port = console.awaitPrompt();
        try (JdkWebSocketClient client = open(port)) {
            assertEquals("hello", client.request("hello"));
            assertEquals("1", single(rows(console.run("switchboard:endpoints"))).get(4));

            console.input.close(); // Ctrl-D, or the end of a script piped in
            assertEquals(1001, client.awaitClose(CLIENT_WAIT).code());
            console.awaitExit();
            assertEquals(0, console.process.exitValue(), console.output());
            assertTrue(console.output().contains("Switchboard stopped."), console.output());
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress(port)); // the port was released
            }
        }
    }

    private List<String> handlerOf(String route) throws Exception {
        for (List<String> handler : rows(console.run("switchboard:handlers"))) {
            if (handler.get(4).equals(route)) {
                return handler;
            }
        }
        throw new AssertionError("no handler of " + route + " in:\n" + console.output());
    }

    /** The state of each bundle by symbolic name, as {@code lb -s} lists them. */
    private Map<String, String> bundleStates() throws Exception {
        Map<String, String> states = new TreeMap<>();
        for (String line : console.run("lb -s")) {
            Matcher row = BUNDLE_ROW.matcher(line);
            if (row.matches()) {
                states.put(row.group(3), row.group(2));
            }
        }
        return states;
    }

    private long bundleId(String symbolicName) throws Exception {
        for (String line : console.run("lb -s")) {
            Matcher row = BUNDLE_ROW.matcher(line);
            if (row.matches() && row.group(3).equals(symbolicName)) {
                return Long.parseLong(row.group(1));
            }
        }
        throw new AssertionError("no bundle " + symbolicName + " in:\n" + console.output());
    }

    private static JdkWebSocketClient open(int port) {
        return JdkWebSocketClient.to(URI.create("ws://127.0.0.1:" + port + "/echo")).timeout(CLIENT_WAIT).connect();
    }

    /** The cells of a table's rows, its header and rule left out (it must have both). */
    private static List<List<String>> rows(List<String> table) {
        assertTrue(table.size() >= 2 && table.get(1).matches("-[-+]*"), "not a table: " + table);
        List<List<String>> rows = new ArrayList<>();
        for (String line : table.subList(2, table.size())) {
            List<String> cells = new ArrayList<>();
            for (String cell : line.split("\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> single(List<List<String>> rows) {
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    /**
     * The launcher with {@code --shell --port 0}, its console's input a pipe (so Gogo reads it as
     * plain lines, with no terminal), and every line it prints, stdout and stderr together.
     */
    private record Console(Process process, Writer input, List<String> lines, int[] marks, int[] read) {
        /** Starts the launcher with its folders in {@code root}, not beside the test. */
        static Console start(Path root) throws IOException {
            assertTrue(Files.isRegularFile(JAR), JAR + " is missing; run the package phase first");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dgosh.args=--nohistory", // leave the user's ~/.gogo.history alone
                    "-jar", JAR.toString(), "--shell", "--port", "0",
                    "--deploy", root.resolve("deploy").toString(), "--etc", root.resolve("etc").toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Console console = new Console(process,
                    new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), new ArrayList<>(),
                    new int[1], new int[1]);
            Thread reader = new Thread(console::drain, "launcher-output");
            reader.setDaemon(true);
            reader.start();
            return console;
        }

        /** Waits for the console to answer, and leaves what came before (the server's lines, Gogo's welcome) unread. */
        int awaitPrompt() throws IOException, InterruptedException {
            run("");
            return port();
        }

        private int port() throws InterruptedException {
            String prefix = "Switchboard is listening on port ";
            return Integer.parseInt(awaitLine(line -> line.startsWith(prefix)).substring(prefix.length()));
        }

        void send(String line) throws IOException {
            input.write(line + "\n");
            input.flush();
        }

        /**
         * Runs a command and returns what it printed since the last command, line by line, the
         * prompt taken off: the command is followed by an {@code echo} of a mark, and its output
         * is what comes before the mark.
         */
        List<String> run(String command) throws IOException, InterruptedException {
            String mark = "== end of command " + ++marks[0] + " ==";
            send(command);
            send("echo '" + mark + "'");
            awaitLine(mark::equals);
            synchronized (lines) {
                int end = lines.indexOf(mark);
                List<String> printed = lines.subList(read[0], end).stream().filter(line -> !line.isEmpty()).toList();
                read[0] = end + 1;
                return printed;
            }
        }

        void awaitExit() throws Exception {
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running: " + output());
            awaitLine(null); // everything it printed
        }

        private void drain() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    while (line.startsWith(PROMPT)) { // Gogo's prompt, before the next output line
                        line = line.substring(PROMPT.length());
                    }
                    synchronized (lines) {
                        lines.add(line.equals(PROMPT.strip()) ? "" : line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("(reading the output failed: " + e + ")");
                }
            }
            synchronized (lines) {
                lines.add(null); // the end
                lines.notifyAll();
            }
        }

        /** Waits for a line that {@code wanted} accepts, or with null for the end of the output. */
        private String awaitLine(Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (wanted == null ? line == null : line != null && wanted.test(line)) {
                            return line;
                        }
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || wanted != null && lines.contains(null)) {
                        throw new AssertionError("no such line in:\n" + output());
                    }
                    lines.wait(left);
                }
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines.stream().map(String::valueOf).toList());
            }
        }
    }
}

package io.switchboard.endpoint.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketClient;

/**
 * The conformance gate for the client: the Autobahn TestSuite's fuzzing server (the suite inside
 * the autobahntestsuite-maven-plugin's jar, under its Jython, in a process of its own) runs cases
 * 1 to 10 against an echo client, and every case must be OK or INFORMATIONAL in the suite's
 * report; NON-STRICT, UNIMPLEMENTED and FAILED all fail. The POM's conformance profile (off with
 * {@code -DskipAutobahn}) puts the suite's class path into {@code autobahn.classpath}.
 */
@EnabledIfSystemProperty(named = "autobahn.classpath", matches = ".+")
class AutobahnFuzzingServerTest {
    private static final String AGENT = "switchboard";
    /** Cases 1 to 10, all of them; {@code -Dautobahn.cases=2.5,5.*} picks others while working on a failure. */
    private static final String CASES = System.getProperty("autobahn.cases", "1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*");
    private static final Path REPORTS = Paths.get("target", "autobahn-client-reports");
    /** Jython takes half a minute to load the suite on a busy two-core machine. */
    private static final long START_SECONDS = 180;
    /**
     * The longest cases are 9.5.x and 9.6.x, where the suite sends a 1 MiB message in writes of
     * 64 bytes and up, one reactor turn each, which under Jython takes minutes; the suite itself
     * gives them 1,000 seconds.
     */
    private static final long CASE_SECONDS = 600;

    private static Process suite;
    private static URI base;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(REPORTS);
        Files.deleteIfExists(REPORTS.resolve("index.json")); // a report of an earlier run must not pass for this one's
        Path script = Paths.get(AutobahnFuzzingServerTest.class.getResource("/autobahn/fuzzingserver.py").toURI());
        suite = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("autobahn.classpath"), "org.python.util.jython", "-u",
                script.toString(), REPORTS.toAbsolutePath().toString(), CASES)
                .redirectErrorStream(true)
                .start();
        base = URI.create("ws://127.0.0.1:" + awaitPort(suite, REPORTS.resolve("suite.log")));
        client = WebSocketClient.builder()
                .name("autobahn-client")
                .maxMessageSize(20 * 1024 * 1024)
                .maxFragments(1 << 20)
                .sendQueue(64 * 1024, 256 * 1024, 64L * 1024 * 1024)
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (suite != null) {
            suite.destroy();
            if (!suite.waitFor(10, TimeUnit.SECONDS)) {
                suite.destroyForcibly();
            }
        }
    }

    @Test
    void everyCaseOfOneToTenIsOkOrInformational() throws Exception {
        int count = Integer.parseInt(run("/getCaseCount").messages.get(0));
        assertTrue(count > 250 || System.getProperty("autobahn.cases") != null, "the suite offers only " + count + " cases");
        for (int i = 1; i <= count; i++) {
            run("/runCase?case=" + i + "&agent=" + AGENT);
        }
        run("/updateReports?agent=" + AGENT);

        Map<String, String> failed = new TreeMap<>();
        JSONObject cases = (JSONObject) readReport().get(AGENT);
        assertEquals(count, cases.size(), "cases in the report (the suite records a case when it sees its connection end)");
        for (Object id : cases.keySet()) {
            JSONObject result = (JSONObject) cases.get(id);
            String behavior = (String) result.get("behavior");
            String close = (String) result.get("behaviorClose");
            if (!acceptable(behavior) || !acceptable(close)) {
                failed.put((String) id, behavior + " (close " + close + ", report " + result.get("reportfile") + ")");
            }
        }
        if (!failed.isEmpty()) {
            fail(failed.size() + " of " + count + " cases not OK or INFORMATIONAL, reports in " + REPORTS + ": " + failed);
        }
    }

    private static boolean acceptable(String behavior) {
        return "OK".equals(behavior) || "INFORMATIONAL".equals(behavior);
    }

    /** Opens one connection to the suite and waits for it to end: the suite closes each. */
    private static EchoingHandler run(String pathAndQuery) throws Exception {
        EchoingHandler handler = new EchoingHandler(pathAndQuery.startsWith("/runCase"));
        client.connect(new URI(base + pathAndQuery), handler).get(CASE_SECONDS, TimeUnit.SECONDS);
        try {
            handler.disconnected.get(CASE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail(pathAndQuery + " still open after " + CASE_SECONDS + " s", e);
        }
        return handler;
    }

    private static JSONObject readReport() throws Exception {
        try (Reader reader = Files.newBufferedReader(REPORTS.resolve("index.json"), StandardCharsets.UTF_8)) {
            return (JSONObject) new JSONParser().parse(reader);
        }
    }

    /**
     * Copies the suite's output to {@code log} and returns the port from its "LISTENING" line,
     * or fails if the process ends or says nothing of the kind within the start time.
     */
    private static int awaitPort(Process process, Path log) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    out.println(line);
                    if (line.startsWith("LISTENING ")) {
                        port.complete(Integer.parseInt(line.substring(10).trim()));
                    }
                }
                port.completeExceptionally(new IOException("the suite ended with status " + process.waitFor() + ", see " + log));
            } catch (IOException | InterruptedException | RuntimeException e) {
                port.completeExceptionally(e);
            }
        }, "autobahn-suite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("the fuzzing server did not listen within " + START_SECONDS + " s, see " + log, e);
        }
    }

    /**
     * Sends every message back as it came; records texts (for the case count) and the end. Its
     * callbacks run on the client's loop; the test thread reads {@code messages} only once
     * {@code disconnected} has completed, which orders the two.
     */
    private static final class EchoingHandler implements ConnectionHandler {
        final List<String> messages = new ArrayList<>();
        final CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();
        /** Only a case's messages are echoed: the suite takes any other message as a case's. */
        private final boolean echo;

        EchoingHandler(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void message(Connection connection, String text) {
            messages.add(text);
            if (echo) {
                connection.send(text);
            }
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            if (echo) {
                connection.send(data);
            }
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            disconnected.complete(status);
        }
    }
}

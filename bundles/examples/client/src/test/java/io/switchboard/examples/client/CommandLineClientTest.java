package io.switchboard.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;
import io.switchboard.endpoint.WebSocketServer;

/**
 * The command-line client's {@code run} with piped input and captured output against a real
 * Switchboard server over loopback, ws and wss: what is typed is sent, what arrives is printed,
 * and the exit status says how it ended.
 */
class CommandLineClientTest {
    private static final char[] PASSWORD = "client-example".toCharArray();
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path keys;
    private static Path trustStore;
    private static WebSocketServer plain;
    private static WebSocketServer secure;

    /**
     * Welcomes with the X-Name header, echoes text, answers "bytes N" with N binary bytes and
     * "close CODE" by closing, and agrees to the subprotocol v2 when offered.
     */
    private static final ConnectionHandler SERVER = new ConnectionHandler() {
        @Override
        public void validate(Handshake handshake) {
            if (handshake.offeredSubprotocols().contains("v2")) {
                handshake.selectSubprotocol("v2");
            }
        }

        @Override
        public void connect(Connection connection) {
            connection.send("welcome " + connection.request().header("X-Name").orElse("stranger"));
        }

        @Override
        public void message(Connection connection, String text) {
            if (text.startsWith("bytes ")) {
                byte[] bytes = new byte[Integer.parseInt(text.substring(6))];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
                connection.send(ByteBuffer.wrap(bytes));
            } else if (text.startsWith("close ")) {
                connection.close(Integer.parseInt(text.substring(6)), "server done");
            } else {
                connection.send(text);
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        trustStore = keys.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", trustStore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);

        plain = WebSocketServer.builder().host("127.0.0.1").port(0).perMessageDeflate(true).route("/chat", SERVER).start();
        secure = WebSocketServer.builder().host("127.0.0.1").port(0).tls(serverContext()).route("/chat", SERVER).start();
    }

    @AfterAll
    static void stop() {
        plain.stop();
        secure.stop();
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance(trustStore.toFile(), PASSWORD);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    private static String ws() {
        return "ws://127.0.0.1:" + plain.port() + "/chat";
    }

    @Test
    void printsWhatArrivesAndSendsWhatIsTyped() {
        Run run = Run.of("hi\nbytes 3\n/ping p\n", "-H", "X-Name: ada", "-s", "v1", "-s", "v2", ws());

        assertEquals(0, run.status, run.err);
        assertTrue(run.lines().contains("connected to " + ws() + ", subprotocol v2"), run.out);
        assertTrue(run.lines().contains("< pong 70"), run.out); // a pong may overtake the echoes
        // the welcome comes before the line saying the connection is open, or after it
        assertEquals(List.of("< welcome ada", "< hi", "< binary 3 bytes: 000102", "closed 1000"), run.lines().stream()
                .filter(line -> !line.startsWith("connected") && !line.startsWith("< pong")).toList());
    }

    @Test
    void closeClosesWithTheCodeTyped() {
        Run run = Run.of("/close 4000 bye\n", ws());

        assertEquals(CommandLineClient.CLOSED_NOT_NORMALLY, run.status, run.err);
        assertTrue(run.lines().get(run.lines().size() - 1).startsWith("closed 4000"), run.out); // the server repeats the code
    }

    @Test
    void theEndOfTheInputClosesNormally() {
        Run run = Run.of("one\n", ws());

        assertEquals(0, run.status, run.err);
        assertTrue(run.lines().contains("< welcome stranger"), run.out);
        assertEquals(List.of("< one", "closed 1000"), run.lines().subList(run.lines().size() - 2, run.lines().size()));
    }

    @Test
    void aCloseFromTheServerEndsItWithItsCode() {
        Run run = Run.of("close 4001\n", "--deflate", ws());

        assertEquals(CommandLineClient.CLOSED_NOT_NORMALLY, run.status, run.err);
        assertTrue(run.lines().contains("connected to " + ws() + ", extensions [permessage-deflate]"), run.out);
        assertEquals("closed 4001 server done", run.lines().get(run.lines().size() - 1));
    }

    @Test
    void wssTrustsTheTrustStoreAndNothingElseByDefault() {
        String wss = "wss://localhost:" + secure.port() + "/chat";

        Run trusting = Run.of("secure\n", "--truststore", trustStore.toString(), "--truststore-password",
                new String(PASSWORD), wss);
        Run defaultTrust = Run.of("", wss);

        assertEquals(0, trusting.status, trusting.err);
        assertTrue(trusting.lines().contains("< secure"), trusting.out);
        assertEquals(CommandLineClient.CONNECT_FAILED, defaultTrust.status, defaultTrust.out);
        assertTrue(defaultTrust.err.contains("SSLHandshakeException"), defaultTrust.err);
    }

    @Test
    void aPortWhereNothingListensExitsWithOne() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }

        Run run = Run.of("", "ws://127.0.0.1:" + port + "/");

        assertEquals(CommandLineClient.CONNECT_FAILED, run.status);
        assertTrue(run.err.contains("could not connect to ws://127.0.0.1:" + port + "/: java.net.ConnectException"), run.err);
    }

    @Test
    void aBadCommandLineExitsWithTwo() {
        assertEquals(CommandLineClient.BAD_ARGUMENTS, Run.of("", "http://127.0.0.1/").status);
        assertEquals(CommandLineClient.BAD_ARGUMENTS, Run.of("").status);
        assertEquals(CommandLineClient.BAD_ARGUMENTS, Run.of("", "-H", "no colon", ws()).status);
        Run run = Run.of("", "--connect-timeout", "soon", ws());
        assertEquals(CommandLineClient.BAD_ARGUMENTS, run.status);
        assertTrue(run.err.contains("usage: "), run.err);
    }

    /** One run of the client: its exit status and what it printed on either stream. */
    private record Run(int status, String out, String err) {
        static Run of(String input, String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
            int status = assertTimeoutPreemptively(LIMIT, () -> CommandLineClient.run(args, in,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }

        List<String> lines() {
            return out.lines().toList();
        }
    }
}

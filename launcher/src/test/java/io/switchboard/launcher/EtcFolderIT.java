package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.testing.JdkWebSocketClient;

/**
 * Configuration files in the etc folder, read by FileInstall into ConfigAdmin while the launcher
 * runs: another endpoint, TLS, a changed limit, a malformed value, and the command line winning
 * over the default endpoint's file. Each change is awaited through the line the launcher prints
 * for it, never by sleeping.
 */
class EtcFolderIT {
    private static final String BIG = "x".repeat(2000);

    @TempDir
    Path root;
    private LaunchedSwitchboard launched;
    /** Each edit moves a file's time on, so that FileInstall sees a change whatever its size. */
    private Instant lastEdit = Instant.now();

    @AfterEach
    void killLeftovers() {
        if (launched != null) {
            launched.close();
        }
    }

    @Test
    void aFileAddsAnEndpointAndDeletingItStopsIt() throws Exception {
        launched = start();
        int second = LaunchedSwitchboard.freePort();
        edit(launched.etc.resolve("io.switchboard.endpoint-second.cfg"), "name = second\nport = " + second + "\n");
        launched.awaitLine("Endpoint second listening on ws://localhost:" + second);

        JdkWebSocketClient client = JdkWebSocketClient.connect(echo("ws", second));
        assertEquals("to the second endpoint", client.request("to the second endpoint"));

        Files.delete(launched.etc.resolve("io.switchboard.endpoint-second.cfg"));
        launched.awaitLine("Endpoint second stopped");
        assertEquals(1001, client.awaitClose().code());
        assertThrows(ConnectException.class, () -> new Socket("localhost", second).close());
    }

    @Test
    void aFileWithAKeystoreMakesAWssEndpoint() throws Exception {
        launched = start();
        Path keystore = keystore(root.resolve("server.p12"), "secret");
        int secure = LaunchedSwitchboard.freePort();
        edit(launched.etc.resolve("io.switchboard.endpoint-secure.cfg"), "name = secure\nport = " + secure
                + "\ntlsKeystore = " + keystore + "\ntlsKeystorePassword = secret\ntlsProtocols = TLSv1.3, TLSv1.2\n");
        launched.awaitLine("Endpoint secure listening on wss://localhost:" + secure);

        JdkWebSocketClient client = JdkWebSocketClient.to(echo("wss", secure)).sslContext(trusting(keystore, "secret")).connect();
        assertEquals("over TLS", client.request("over TLS"));
    }

    @Test
    void anEditChangesALimitOfTheRunningDefaultEndpoint() throws Exception {
        launched = start();
        int port = port(launched);
        assertEquals(BIG, JdkWebSocketClient.connect(echo("ws", port)).request(BIG));

        int mark = launched.lineCount();
        edit(launched.etc.resolve(EtcTemplates.ENDPOINT_FILE), "name = default\nmaxMessageSize = 1024\n");
        launched.awaitLineContaining("Endpoint default reconfigured, listening on ws://localhost:" + port, mark);

        JdkWebSocketClient client = JdkWebSocketClient.connect(echo("ws", port));
        client.sendTextAsync(BIG);
        assertEquals(1009, client.awaitClose().code());
    }

    @Test
    void aMalformedFileIsReportedAndTheRunningEndpointsStayAsTheyWere() throws Exception {
        launched = start();
        int port = port(launched);
        int second = LaunchedSwitchboard.freePort();
        Path secondFile = launched.etc.resolve("io.switchboard.endpoint-second.cfg");
        edit(secondFile, "name = second\nport = " + second + "\n");
        launched.awaitLine("Endpoint second listening on ws://localhost:" + second);
        JdkWebSocketClient toDefault = JdkWebSocketClient.connect(echo("ws", port));
        JdkWebSocketClient toSecond = JdkWebSocketClient.connect(echo("ws", second));

        // A value of the wrong type: today's whiteboard would log a stack trace naming neither.
        int mark = launched.lineCount();
        edit(launched.etc.resolve(EtcTemplates.ENDPOINT_FILE), "name = default\nmaxMessageSize = lots\n");
        String typeError = launched.awaitLineContaining("io.switchboard.endpoint-default.cfg", mark);
        assertEquals("WARNING: Rejected " + launched.etc.resolve(EtcTemplates.ENDPOINT_FILE).toFile().toURI()
                + ": maxMessageSize = lots cannot be read as int;"
                + " endpoint default keeps running as it was", typeError);

        // A port out of range: it used to stop the listener before the new one failed.
        mark = launched.lineCount();
        edit(secondFile, "name = second\nport = 70000\n");
        String rangeError = launched.awaitLineContaining("io.switchboard.endpoint-second.cfg", mark);
        assertTrue(rangeError.startsWith("WARNING: Rejected file:") && rangeError.contains(": java.lang.IllegalArgumentException: "
                + "port must be 0 to 65535, was 70000; endpoint second keeps running as it was"), rangeError);

        // A new file that is malformed from the start: no endpoint, the same kind of line.
        mark = launched.lineCount();
        edit(launched.etc.resolve("io.switchboard.endpoint-third.cfg"), "name = third\nport = 0\nmaxFrameSize = big\n");
        String newFileError = launched.awaitLineContaining("io.switchboard.endpoint-third.cfg", mark);
        assertTrue(newFileError.startsWith("WARNING: Rejected file:") && newFileError.endsWith(
                "io.switchboard.endpoint-third.cfg: maxFrameSize = big cannot be read as int; endpoint not started"),
                newFileError);

        assertEquals(BIG, toDefault.request(BIG)); // the 1 MiB limit still holds, not "lots"
        assertEquals("still here", toSecond.request("still here"));
        assertEquals(BIG, JdkWebSocketClient.connect(echo("ws", port)).request(BIG));
        assertEquals("new", JdkWebSocketClient.connect(echo("ws", second)).request("new"));
        assertFalse(launched.output().contains("reconfigured") || launched.output().contains("stopped"), launched.output());
    }

    @Test
    void portAndHostOnTheCommandLineWinOverTheFileWhichStaysAsWritten() throws Exception {
        int filePort = LaunchedSwitchboard.freePort();
        int flagPort = LaunchedSwitchboard.freePort();
        Path file = root.resolve("etc").resolve(EtcTemplates.ENDPOINT_FILE);
        Files.createDirectories(file.getParent());
        byte[] written = ("name = default\nhost = 0.0.0.0\nport = " + filePort + "\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, written);

        launched = LaunchedSwitchboard.start(root, "--port", String.valueOf(flagPort), "--host", "127.0.0.1");
        assertEquals("Switchboard is listening on port " + flagPort, launched.awaitLine("Switchboard is listening on port "));
        assertEquals("echoed", JdkWebSocketClient.connect(echo("ws", flagPort)).request("echoed"));
        assertThrows(ConnectException.class, () -> new Socket("localhost", filePort).close());

        // An edit of another property: the flags still win, and the file is the user's edit.
        int mark = launched.lineCount();
        byte[] edited = ("name = default\nhost = 0.0.0.0\nport = " + filePort + "\nidleTimeoutMillis = 60000\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        edit(file, new String(edited, StandardCharsets.ISO_8859_1));
        launched.awaitLineContaining("Endpoint default reconfigured, listening on ws://127.0.0.1:" + flagPort, mark);
        assertEquals("still echoed", JdkWebSocketClient.connect(echo("ws", flagPort)).request("still echoed"));

        assertTrue(launched.process.toHandle().destroy());
        assertTrue(launched.process.waitFor(30, TimeUnit.SECONDS), launched.output());
        assertArrayEquals(edited, Files.readAllBytes(file), "the file as the test wrote it");
    }

    @Test
    void withoutFlagsTheDefaultEndpointListensWhereItsFileSays() throws Exception {
        int filePort = LaunchedSwitchboard.freePort();
        Path file = root.resolve("etc").resolve(EtcTemplates.ENDPOINT_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "name = default\nhost = 127.0.0.1\nport = " + filePort + "\n");
        launched = LaunchedSwitchboard.start(root);
        assertEquals("Switchboard is listening on port " + filePort, launched.awaitLine("Switchboard is listening on port "));
        launched.awaitLine("  echo: ws://127.0.0.1:" + filePort + "/echo");
        assertEquals("echoed", JdkWebSocketClient.connect(echo("ws", filePort)).request("echoed"));
    }

    /** The launcher on a free port, from the default file it writes on its first start. */
    private LaunchedSwitchboard start() throws IOException, InterruptedException {
        int port = LaunchedSwitchboard.freePort();
        LaunchedSwitchboard started = LaunchedSwitchboard.start(root, "--port", String.valueOf(port));
        started.awaitLine("Switchboard is listening on port " + port);
        return started;
    }

    private static int port(LaunchedSwitchboard launched) throws InterruptedException {
        return Integer.parseInt(launched.awaitLine("Switchboard is listening on port ").substring("Switchboard is listening on port ".length()));
    }

    private static URI echo(String scheme, int port) {
        return URI.create(scheme + "://localhost:" + port + "/echo");
    }

    /** Replaces the file in one move, as an editor that saves through a new file does. */
    private void edit(Path file, String content) throws IOException {
        Path staged = Files.writeString(root.resolve("staged.cfg"), content, StandardCharsets.ISO_8859_1);
        lastEdit = lastEdit.plusSeconds(2);
        Files.setLastModifiedTime(staged, FileTime.from(lastEdit));
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A PKCS12 keystore with a self-signed key for localhost, made with the JDK's keytool. */
    private static Path keystore(Path file, String password) throws IOException, InterruptedException {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "switchboard", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        return file;
    }

    private static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

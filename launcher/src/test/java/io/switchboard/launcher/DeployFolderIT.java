package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.launcher.handler.VersionedEcho;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * A handler bundle dropped into the deploy folder, replaced and deleted while a client talks to
 * it: FileInstall installs, updates and uninstalls it, and the whiteboard's hot swap moves the
 * connection from version 1 to version 2 without closing it or losing a message.
 */
class DeployFolderIT {
    private static final String SYMBOLIC_NAME = "io.switchboard.launcher.test.handler";
    /** Short, so that the connection left without a handler gets its 1001 soon; long enough for an update. */
    private static final int GRACE_MILLIS = 4000;
    /** Messages the client may have sent and not yet seen answered. */
    private static final int WINDOW = 16;

    @TempDir
    Path root;
    private LaunchedSwitchboard launched;

    @AfterEach
    void killLeftovers() {
        if (launched != null) {
            launched.close();
        }
    }

    @Test
    void aDroppedJarServesAReplacedOneTakesOverItsConnectionsADeletedOneLeavesThemWaiting() throws Exception {
        int port = LaunchedSwitchboard.freePort();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc").resolve(EtcTemplates.ENDPOINT_FILE),
                "name = default\nswapGracePeriodMillis = " + GRACE_MILLIS + "\n");
        launched = LaunchedSwitchboard.start(root, "--port", String.valueOf(port));
        launched.awaitLine("Switchboard is listening on port " + port);
        Path jar = launched.deploy.resolve("handler.jar");
        URI route = URI.create("ws://localhost:" + port + VersionedEcho.ROUTE);

        DeployedBundles.drop(bundle("1.0.0", "v1"), jar, Instant.now());
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 1.0.0 started (handler.jar)");
        JdkWebSocketClient client = JdkWebSocketClient.connect(route);

        // Numbered messages, WINDOW in flight, until 20 answers from version 2 came; version 2
        // is dropped in once 20 answers from version 1 came.
        List<String> answers = new ArrayList<>();
        int sent = 0;
        int fromVersion2 = 0;
        while (fromVersion2 < 20) {
            while (sent - answers.size() < WINDOW) {
                client.sendTextAsync(String.valueOf(sent++));
            }
            String answer = client.awaitText();
            answers.add(answer);
            if (answer.startsWith("v2 ")) {
                fromVersion2++;
            }
            if (answers.size() == 20) {
                DeployedBundles.drop(bundle("2.0.0", "v2"), jar, Instant.now().plusSeconds(2));
            }
        }
        while (answers.size() < sent) {
            answers.add(client.awaitText());
        }
        assertEquals("v1 v2 ", checkAnsweredOnceInOrder(answers), "the answers went from v1 to v2, once");
        client.assertOpen();
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 2.0.0 updated (handler.jar)");

        int mark = launched.lineCount();
        Files.delete(jar);
        launched.awaitLineContaining("Bundle " + SYMBOLIC_NAME + " 2.0.0 uninstalled (handler.jar)", mark);
        // The route has no handler: new handshakes get 503 during the grace period, and the live
        // connection waits for a replacement, its message unread, then gets 1001.
        assertEquals(503, JdkWebSocketClient.to(route).refusal());
        client.sendTextAsync("unanswered");
        assertEquals(1001, client.awaitClose(Duration.ofMillis(GRACE_MILLIS + 10_000)).code());
        List<JdkWebSocketClient.Event> events = client.drainEvents();
        assertTrue(events.stream().noneMatch(event -> event instanceof JdkWebSocketClient.Text),
                "an answer came after the bundle went: " + events);
    }

    /** Checks that answer i answers message i, and returns the version prefixes in order. */
    private static String checkAnsweredOnceInOrder(List<String> answers) {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < answers.size(); i++) {
            String answer = answers.get(i);
            String version = answer.substring(0, answer.indexOf(' '));
            assertEquals(version + " " + i, answer, "answer " + i + " of " + answers);
            if (order.isEmpty() || !order.toString().endsWith(version + " ")) {
                order.append(version).append(' ');
            }
        }
        return order.toString();
    }

    private static byte[] bundle(String bundleVersion, String codeVersion) throws IOException {
        return DeployedBundles.oneClassBundle(VersionedEcho.class, SYMBOLIC_NAME, bundleVersion,
                "io.switchboard.api,org.osgi.framework", VersionedEcho.VERSION_HEADER, codeVersion);
    }
}

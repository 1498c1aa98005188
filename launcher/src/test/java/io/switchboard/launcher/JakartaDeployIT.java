package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.launcher.jakartahandler.VersionedRoom;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * A Jakarta endpoint bundle dropped into the launcher's deploy folder is served (the launcher
 * starts the Jakarta API and the jakarta bundle), and a new version dropped over it while a
 * session is open adopts that session.
 */
class JakartaDeployIT {
    private static final String SYMBOLIC_NAME = "io.switchboard.launcher.test.jakarta";

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
    void aDroppedJakartaEndpointIsServedAndItsNextVersionAdoptsItsSessions() throws Exception {
        int port = LaunchedSwitchboard.freePort();
        launched = LaunchedSwitchboard.start(root, "--port", String.valueOf(port));
        launched.awaitLine("Switchboard is listening on port " + port);
        Path jar = launched.deploy.resolve("rooms.jar");

        DeployedBundles.drop(bundle("1.0.0", "v1"), jar, Instant.now());
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 1.0.0 started (rooms.jar)");
        JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://localhost:" + port + "/jakarta/lobby"));
        assertEquals("v1 lobby hi adopted=null", client.request("hi"));

        DeployedBundles.drop(bundle("2.0.0", "v2"), jar, Instant.now().plusSeconds(2));
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 2.0.0 updated (rooms.jar)");
        assertEquals("v2 lobby again adopted=true", client.request("again"), "the same session, adopted by v2");
        client.assertOpen();
        client.close();
    }

    private static byte[] bundle(String bundleVersion, String codeVersion) throws IOException {
        return DeployedBundles.oneClassBundle(VersionedRoom.class, SYMBOLIC_NAME, bundleVersion,
                "jakarta.websocket,jakarta.websocket.server,org.osgi.framework", VersionedRoom.VERSION_HEADER, codeVersion);
    }
}

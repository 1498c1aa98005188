package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

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

        drop(endpointBundle("1.0.0", "v1"), jar, Instant.now());
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 1.0.0 started (rooms.jar)");
        JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://localhost:" + port + "/jakarta/lobby"));
        assertEquals("v1 lobby hi adopted=null", client.request("hi"));

        drop(endpointBundle("2.0.0", "v2"), jar, Instant.now().plusSeconds(2));
        launched.awaitLine("Bundle " + SYMBOLIC_NAME + " 2.0.0 updated (rooms.jar)");
        assertEquals("v2 lobby again adopted=true", client.request("again"), "the same session, adopted by v2");
        client.assertOpen();
        client.close();
    }

    /** Puts {@code bundle} at {@code jar} in one move, with the given time (FileInstall compares times and sizes). */
    private void drop(byte[] bundle, Path jar, Instant modified) throws IOException {
        Path staged = Files.write(root.resolve("staged.jar"), bundle);
        Files.setLastModifiedTime(staged, FileTime.from(modified));
        Files.move(staged, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The endpoint bundle: {@link VersionedRoom} alone, with a manifest naming its version. */
    private static byte[] endpointBundle(String bundleVersion, String endpointVersion) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        main.putValue("Bundle-Version", bundleVersion);
        main.putValue("Bundle-Activator", VersionedRoom.class.getName());
        main.putValue("Import-Package", "jakarta.websocket,jakarta.websocket.server,org.osgi.framework");
        main.putValue(VersionedRoom.VERSION_HEADER, endpointVersion);
        String entry = VersionedRoom.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
             InputStream in = VersionedRoom.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}

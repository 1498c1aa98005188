package io.switchboard.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles the deploy-folder tests build and drop into a launcher's {@code deploy/}. */
final class DeployedBundles {
    private DeployedBundles() {
    }

    /**
     * A bundle of one class, its activator, with a manifest naming its version, its imports and
     * one header of the test's own (which version of the code the activator says it is).
     */
    static byte[] oneClassBundle(Class<?> activator, String symbolicName, String bundleVersion, String imports,
                                 String header, String value) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", bundleVersion);
        main.putValue("Bundle-Activator", activator.getName());
        main.putValue("Import-Package", imports);
        main.putValue(header, value);
        String entry = activator.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
             InputStream in = activator.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    /**
     * Puts {@code bundle} at {@code jar} in one move, as a finished file, with the given time:
     * FileInstall tells a changed file by its time and size, and two versions may have one size.
     * It is written beside the deploy folder first, where FileInstall does not look.
     */
    static void drop(byte[] bundle, Path jar, Instant modified) throws IOException {
        Path staged = Files.write(jar.getParent().resolveSibling(jar.getFileName() + ".staged"), bundle);
        Files.setLastModifiedTime(staged, FileTime.from(modified));
        Files.move(staged, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

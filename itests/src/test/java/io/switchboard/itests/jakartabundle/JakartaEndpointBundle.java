package io.switchboard.itests.jakartabundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds the Jakarta endpoint bundle at test time: a manifest and the classes of this package
 * (but this one), so that tests can install it, drop it into a deploy folder and update it to a
 * new version. It imports the Jakarta WebSocket API and the framework's, nothing of Switchboard.
 */
public final class JakartaEndpointBundle {
    private static final List<String> CLASSES = List.of("JakartaEndpointsActivator", "JakartaEndpointsActivator$1",
            "RoomEcho", "Shout", "Broken");

    private JakartaEndpointBundle() {
    }

    /** The bundle {@code symbolicName} at version {@code major}.0.0. */
    public static InputStream jar(String symbolicName, int major) throws IOException {
        return new ByteArrayInputStream(bytes(symbolicName, major));
    }

    public static byte[] bytes(String symbolicName, int major) throws IOException {
        Manifest manifest = new Manifest();
        Attributes headers = manifest.getMainAttributes();
        headers.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.putValue("Bundle-ManifestVersion", "2");
        headers.putValue("Bundle-SymbolicName", symbolicName);
        headers.putValue("Bundle-Version", major + ".0.0");
        headers.putValue("Bundle-Activator", JakartaEndpointsActivator.class.getName());
        headers.putValue("Import-Package", "jakarta.websocket;version=\"[2,3)\",jakarta.websocket.server;version=\"[2,3)\","
                + "org.osgi.framework;version=\"[1.8,2)\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            String folder = JakartaEndpointsActivator.class.getPackageName().replace('.', '/') + "/";
            for (String simpleName : CLASSES) {
                String entry = folder + simpleName + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream classFile = JakartaEndpointsActivator.class.getClassLoader().getResourceAsStream(entry)) {
                    classFile.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

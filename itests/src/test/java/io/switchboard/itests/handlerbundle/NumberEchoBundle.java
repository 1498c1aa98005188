package io.switchboard.itests.handlerbundle;

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
 * Builds the number-echo handler bundle at test time: a manifest and the classes of this package,
 * so that tests can install it and {@code Bundle.update} it to a new version.
 */
public final class NumberEchoBundle {
    private NumberEchoBundle() {
    }

    /** The bundle {@code symbolicName} at version {@code major}.0.0, its handler blocking or not, a singleton. */
    public static InputStream jar(String symbolicName, int major, boolean blocking) throws IOException {
        return jar(symbolicName, major, blocking, false, 0);
    }

    /**
     * The bundle {@code symbolicName} at version {@code major}.0.0, its handler blocking or not,
     * prototype-scoped or not, taking {@code busyMillis} over each message once the bundle is stopping.
     */
    public static InputStream jar(String symbolicName, int major, boolean blocking, boolean prototype, long busyMillis)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes headers = manifest.getMainAttributes();
        headers.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.putValue("Bundle-ManifestVersion", "2");
        headers.putValue("Bundle-SymbolicName", symbolicName);
        headers.putValue("Bundle-Version", major + ".0.0");
        headers.putValue("Bundle-Activator", NumberEchoActivator.class.getName());
        headers.putValue(NumberEchoActivator.BLOCKING_HEADER, String.valueOf(blocking));
        headers.putValue(NumberEchoActivator.PROTOTYPE_HEADER, String.valueOf(prototype));
        headers.putValue(NumberEchoActivator.BUSY_HEADER, String.valueOf(busyMillis));
        headers.putValue("Import-Package", "io.switchboard.api;version=\"[0.1,1)\",org.osgi.framework;version=\"[1.8,2)\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            String folder = NumberEchoActivator.class.getPackageName().replace('.', '/') + "/";
            for (String simpleName : List.of("NumberEchoActivator", "NumberEcho", "NumberEchoFactory")) {
                String entry = folder + simpleName + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream classFile = NumberEchoActivator.class.getClassLoader().getResourceAsStream(entry)) {
                    classFile.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}

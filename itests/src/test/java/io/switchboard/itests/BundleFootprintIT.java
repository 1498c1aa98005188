package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.Test;

/**
 * The stack a user deploys (api, codec, handshake, endpoint and whiteboard) stays within 255 KB
 * of jars, as packaged by this build, with line-number tables in its classes so that stack traces
 * name a line. (The server core fitted in 180 KB; flow control, encode-once broadcast, cheaper hot
 * swaps and pooled TLS and zlib state take about 14 KB more, the client role, which its issue
 * puts in the endpoint and handshake bundles, 27 KB, TLS tasks off the loop 4 KB, and the client
 * in OSGi (the SwitchboardClient service with its configuration) and proxy credentials 14 KB, route templates
 * (the whiteboard's and the builder's, shared with the Jakarta bundle) 5.8 KB, the walks over a loop's
 * connections a slice per turn (the timer sweep's too, over a list of the loop's own) 2.1 KB,
 * messages received and sent in parts (the decoder's parts, sendPart and the queue holding whole
 * messages back until a message's last part) 4.4 KB:
 * readable code cannot give them back; see BENCHMARKS.md.) Not an OSGi test: it only weighs and reads
 * the files the framework tests install, by name, so that what they install besides (the echo
 * example, the test-support bundle) does not count.
 */
public class BundleFootprintIT {
    private static final long LIMIT_BYTES = 255_000;
    private static final List<String> STACK = List.of("api", "codec", "handshake", "endpoint", "whiteboard");
    /** The name of the class-file attribute that maps code to source lines (JVMS §4.7.12). */
    private static final byte[] LINE_NUMBER_TABLE = "LineNumberTable".getBytes(StandardCharsets.US_ASCII);

    @Test
    public void stackFitsIn255KBWithLineNumbers() throws IOException {
        Map<String, File> jars = stackJars();
        Map<String, Long> sizes = new TreeMap<>();
        jars.forEach((bundle, jar) -> sizes.put(bundle, jar.length()));
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        assertTrue("the server stack takes " + total + " bytes: " + sizes, total <= LIMIT_BYTES);

        // Staying under budget by dropping the line tables again would not count.
        List<String> withoutLines = new ArrayList<>();
        for (Map.Entry<String, File> jar : jars.entrySet()) {
            if (!anyClassHasLineNumbers(jar.getValue())) {
                withoutLines.add(jar.getKey());
            }
        }
        assertEquals("bundles whose classes carry no LineNumberTable", List.of(), withoutLines);
    }

    private static Map<String, File> stackJars() {
        Map<String, File> jars = new TreeMap<>();
        for (String path : System.getProperty(SwitchboardTestSupport.BUNDLES_PROPERTY, "").split(File.pathSeparator)) {
            File jar = new File(path);
            for (String bundle : STACK) {
                if (jar.getName().startsWith("io.switchboard." + bundle + "-")) {
                    jars.put(bundle, jar);
                }
            }
        }
        assertEquals("jars found", STACK.size(), jars.size());
        return jars;
    }

    /**
     * Whether a class of the jar has line numbers. javac writes the attribute's name into a
     * class's constant pool only when one of its methods has the attribute, so the name among the
     * bytes is enough; -g:source alone leaves it out of every class.
     */
    private static boolean anyClassHasLineNumbers(File file) throws IOException {
        try (JarFile jar = new JarFile(file)) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        if (contains(in.readAllBytes(), LINE_NUMBER_TABLE)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static boolean contains(byte[] bytes, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

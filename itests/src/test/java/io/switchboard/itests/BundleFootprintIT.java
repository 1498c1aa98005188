package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

/**
 * The server stack a user deploys (api, codec, handshake, endpoint and whiteboard) stays within
 * 150 KB of jars, as packaged by this build. Not an OSGi test: it only weighs the files the
 * framework tests install, by name, so that what they install besides (the echo example, the
 * test-support bundle) does not count.
 */
public class BundleFootprintIT {
    private static final long LIMIT_BYTES = 150_000;
    private static final List<String> STACK = List.of("api", "codec", "handshake", "endpoint", "whiteboard");

    @Test
    public void serverStackFitsIn150KB() {
        Map<String, Long> sizes = new TreeMap<>();
        for (String path : System.getProperty(SwitchboardTestSupport.BUNDLES_PROPERTY, "").split(File.pathSeparator)) {
            File jar = new File(path);
            for (String bundle : STACK) {
                if (jar.getName().startsWith("io.switchboard." + bundle + "-")) {
                    sizes.put(bundle, jar.length());
                }
            }
        }
        assertEquals("jars found", STACK.size(), sizes.size());
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        assertTrue("the server stack takes " + total + " bytes: " + sizes, total <= LIMIT_BYTES);
    }
}

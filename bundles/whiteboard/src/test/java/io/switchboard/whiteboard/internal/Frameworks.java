package io.switchboard.whiteboard.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** A real Felix framework for unit tests of the whiteboard's internals: started empty, in a temporary storage folder. */
final class Frameworks {
    private Frameworks() {
    }

    static Framework start() throws Exception {
        Path storage = Files.createTempDirectory("switchboard-felix");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework framework = factory.newFramework(Map.of(
                "org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        framework.start();
        return framework;
    }

    static void stop(Framework framework) throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(10_000);
    }
}

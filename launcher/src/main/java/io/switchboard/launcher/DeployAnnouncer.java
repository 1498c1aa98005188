package io.switchboard.launcher;

import java.net.URI;
import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Prints a line when a bundle from the deploy folder has started, been updated or been
 * uninstalled, so that whoever drops a jar there sees what came of it. Synchronous, so each line
 * comes once the change is done (a handler bundle's services registered, or unregistered and its
 * connections handed over): the framework calls {@link #bundleChanged} on the thread that changes
 * the bundle (FileInstall's); it only prints.
 */
final class DeployAnnouncer implements SynchronousBundleListener {
    private final Path deploy;

    private DeployAnnouncer(Path deploy) {
        this.deploy = deploy;
    }

    static void listen(BundleContext context, Path deploy) {
        context.addBundleListener(new DeployAnnouncer(deploy));
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String done = switch (event.getType()) {
            case BundleEvent.STARTED -> "started";
            case BundleEvent.UPDATED -> "updated";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
        Bundle bundle = event.getBundle();
        Path jar = jar(bundle.getLocation());
        if (done != null && jar != null && jar.startsWith(deploy)) {
            System.out.println("Bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " " + done
                    + " (" + deploy.relativize(jar) + ")");
        }
    }

    /** The file a bundle was installed from, or null if it was not a file. */
    private static Path jar(String location) {
        try {
            return location.startsWith("file:") ? Path.of(URI.create(location)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

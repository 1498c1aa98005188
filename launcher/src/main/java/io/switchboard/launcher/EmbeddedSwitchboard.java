package io.switchboard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An Apache Felix framework holding every bundle of a folder, with FileInstall watching the
 * {@link DevFolders}: {@code start} returns once the default endpoint (its file in etc/) listens,
 * {@code stop} stops the framework (the whiteboard then closes every connection with 1001 and
 * releases the ports).
 */
final class EmbeddedSwitchboard {
    static final String CHAT_BUNDLE = "io.switchboard.examples.chat";
    static final String JAKARTA_CHAT_BUNDLE = "io.switchboard.examples.jakartachat";
    private static final String ENDPOINT_FACTORY_PID = "io.switchboard.endpoint";
    private static final String ENDPOINT_SERVICE = "io.switchboard.whiteboard.SwitchboardEndpoint";
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long STOP_TIMEOUT_MILLIS = 15_000;

    private final Path bundleFolder;
    private final DevFolders folders;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Framework framework;
    private volatile Path storage;
    private volatile boolean serving;

    EmbeddedSwitchboard(Path bundleFolder, DevFolders folders) {
        this.bundleFolder = bundleFolder;
        this.folders = folders;
    }

    /** Where the default endpoint listens: its host ({@code ""} for every interface) and port. */
    record Listening(String host, int port) {
    }

    /**
     * Starts everything; returns once the default endpoint listens. {@code host} and {@code port}
     * win over its file, each where not null. {@link #stop} may be called meanwhile from another
     * thread (Ctrl-C while starting): this then fails.
     */
    Listening start(String host, Integer port) throws StartupException {
        try {
            return startFramework(host, port);
        } catch (StartupException | RuntimeException e) {
            if (stopped.get()) { // whatever failed, failed because the framework went away
                throw new StartupException("Stopped while starting", e);
            }
            throw e;
        }
    }

    private Listening startFramework(String host, Integer port) throws StartupException {
        if (port != null) {
            requireFree(host == null ? "" : host, port);
        }
        folders.prepare();
        List<Path> jars = bundleJars();
        try {
            storage = Files.createTempDirectory("switchboard-felix-");
        } catch (IOException e) {
            throw new StartupException("Cannot create the framework's storage folder: " + e.getMessage(), e);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.putAll(folders.fileInstallProperties(storage));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new StartupException("No OSGi framework on the class path"))
                .newFramework(properties);
        this.framework = framework;
        try {
            if (stopped.get()) {
                throw new StartupException("Stopped before starting");
            }
            framework.start();
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jars) {
                bundles.add(context.installBundle(jar.toUri().toString()));
            }
            requireResolved(bundles);
            Bundle fileInstall = null;
            for (Bundle bundle : bundles) {
                if (DevFolders.FILEINSTALL_BUNDLE.equals(bundle.getSymbolicName())) {
                    fileInstall = bundle;
                } else if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            if (fileInstall == null) {
                throw new StartupException("No " + DevFolders.FILEINSTALL_BUNDLE + " in " + bundleFolder + "; build the launcher again");
            }
            ForeignServices services = new ForeignServices(context, START_TIMEOUT_MILLIS);
            // Before FileInstall hands the files to ConfigAdmin: the default endpoint is to start
            // where the command line says, not first where its file says.
            services.registerConfigurationPlugin(ENDPOINT_FACTORY_PID, new EndpointConfigurationPlugin(host, port)::modify);
            EndpointAnnouncer.listen(context);
            DeployAnnouncer.listen(context, folders.deploy());
            fileInstall.start(); // reads both folders before it returns (noInitialDelay)
            Listening listening = awaitEndpoint(context, services, host, port);
            serving = true;
            return listening;
        } catch (BundleException e) {
            throw new StartupException("The framework failed to start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while starting", e);
        }
    }

    boolean serving() {
        return serving;
    }

    boolean hasBundle(String symbolicName) {
        BundleContext context = framework.getBundleContext(); // null once stopped
        return context != null && Stream.of(context.getBundles())
                .anyMatch(bundle -> symbolicName.equals(bundle.getSymbolicName()));
    }

    /** The started framework's context, for what the launcher adds after the start (the console). */
    BundleContext bundleContext() {
        return framework.getBundleContext();
    }

    /** Returns when the framework, once started, has stopped, for whatever reason. */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /**
     * Stops the framework, if one was made, and removes its storage. Only the first call does
     * anything: the shutdown hook calls it after a failed start has.
     */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        serving = false;
        Framework running = framework;
        if (running != null) {
            try {
                running.stop();
                running.waitForStop(STOP_TIMEOUT_MILLIS);
            } catch (BundleException e) {
                System.err.println("The framework did not stop cleanly: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Path folder = storage;
        if (folder != null) {
            deleteTree(folder);
        }
    }

    private List<Path> bundleJars() throws StartupException {
        try (Stream<Path> files = Files.list(bundleFolder)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new StartupException("No bundles in " + bundleFolder + "; build the launcher again");
            }
            return jars;
        } catch (IOException e) {
            throw new StartupException("Cannot read the bundles in " + bundleFolder + ": " + e.getMessage(), e);
        }
    }

    /** Fails, naming each bundle that does not resolve and why, unless all of them resolve. */
    private void requireResolved(List<Bundle> bundles) throws StartupException {
        if (framework.adapt(FrameworkWiring.class).resolveBundles(bundles)) {
            return;
        }
        StringBuilder message = new StringBuilder("Some bundles do not resolve:");
        for (Bundle bundle : bundles) {
            if (bundle.getState() == Bundle.INSTALLED) {
                message.append(System.lineSeparator()).append("  ").append(bundle.getSymbolicName())
                        .append(" (").append(bundle.getLocation()).append("): ");
                try {
                    bundle.start(); // reports why it cannot resolve
                    message.append("unresolved");
                } catch (BundleException e) {
                    message.append(e.getMessage());
                }
            }
        }
        throw new StartupException(message.toString());
    }

    /**
     * Waits for the endpoint service of the default configuration, or for its component to fail
     * (the port is taken, the host is not local, a value in its file is wrong …).
     */
    private Listening awaitEndpoint(BundleContext context, ForeignServices services, String host, Integer port)
            throws StartupException, InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "="
                    + ENDPOINT_SERVICE + ")(switchboard.endpoint.name=" + EtcTemplates.ENDPOINT_NAME + "))"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
            while (System.nanoTime() < deadline) {
                if (tracker.waitForService(100) != null) {
                    ServiceReference<Object> endpoint = tracker.getServiceReference();
                    return new Listening((String) endpoint.getProperty("switchboard.endpoint.host"),
                            (Integer) endpoint.getProperty("switchboard.endpoint.port"));
                }
                ForeignServices.ComponentFailure failure = services.componentFailure(ENDPOINT_FACTORY_PID,
                        EtcTemplates.ENDPOINT_NAME);
                if (failure != null) {
                    throw new StartupException(explain(failure));
                }
            }
            throw new StartupException("The endpoint named " + EtcTemplates.ENDPOINT_NAME + " did not start within "
                    + START_TIMEOUT_MILLIS / 1000 + " s; is its name still " + EtcTemplates.ENDPOINT_NAME + " in "
                    + folders.etc().resolve(EtcTemplates.ENDPOINT_FILE) + "?");
        } finally {
            tracker.close();
        }
    }

    /**
     * Fails at once, before the framework starts, if the address cannot be bound now. The
     * endpoint's own bind stays the authority: a port taken in between is reported from there.
     */
    private static void requireFree(String host, int port) throws StartupException {
        if (port == 0) {
            return;
        }
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new StartupException("Cannot listen on " + host + ":" + port + ": unknown host " + host);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(address);
        } catch (IOException e) {
            throw new StartupException(cannotListen(host, String.valueOf(port), e.toString()));
        }
    }

    /**
     * The root cause in the component runtime's failure text (a stack trace), in plain words, with
     * the address it tried (from the file or the command line).
     */
    private String explain(ForeignServices.ComponentFailure failure) {
        String trace = failure.cause();
        String cause = trace.lines().filter(line -> line.startsWith("Caused by: "))
                .reduce((first, second) -> second)
                .map(line -> line.substring("Caused by: ".length()))
                .orElse(trace.lines().findFirst().orElse(trace));
        Object host = failure.properties().get("host");
        Object port = failure.properties().get("port");
        if (cause.contains("Address already in use") || cause.contains("BindException")) {
            return cannotListen(host == null ? "" : host.toString(), String.valueOf(port), cause);
        }
        return "The default endpoint (" + folders.etc().resolve(EtcTemplates.ENDPOINT_FILE) + ") did not start: " + cause;
    }

    private static String cannotListen(String host, String port, String cause) {
        if (cause.contains("Address already in use")) {
            return "Port " + port + (host.isEmpty() ? "" : " on " + host)
                    + " is already in use. Stop what holds it, or choose another with --port N.";
        }
        return "Cannot listen on " + (host.isEmpty() ? "" : host + ":") + port + ": " + cause;
    }

    /** Deletes the folder, trying again while files still appear in it (a start cut short by a stop). */
    private static void deleteTree(Path root) {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                if (Files.notExists(root)) {
                    return;
                }
                if (attempt == 3) {
                    System.err.println("Could not remove " + root + ": " + e);
                    return;
                }
            }
        }
    }
}

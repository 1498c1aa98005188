package io.switchboard.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * {@code --shell}: the Apache Felix Gogo console on the terminal, with Gogo's commands ({@code lb},
 * {@code install}, {@code update}, {@code stop} …) and the {@code switchboard:} ones of the
 * {@code io.switchboard.shell} bundle. Its bundles lie apart, in the launcher's {@code shell}
 * folder, and are installed only with the option, once the endpoint listens: the plain start
 * stays as it was, and the prompt comes after the server's first lines.
 *
 * <p>Gogo's jline bundle runs the console on a thread of its own, on {@code System.in} and
 * {@code System.out} (a plain line reader when they are not a terminal, so a pipe can drive it).
 * When its input ends (Ctrl-D, the end of a pipe) or on {@code stop 0}, it stops the framework,
 * which ends the launcher's wait. Called once, from the launcher's main thread.
 */
final class GogoShell {
    /** The bundle that opens the console as soon as Gogo's runtime is there. */
    private static final String CONSOLE_BUNDLE = "org.apache.felix.gogo.jline";
    private static final String JLINE_BUNDLE = "org.jline";

    private GogoShell() {
    }

    /**
     * Opens the console on the serving {@code switchboard} with the bundles of {@code folder}, and
     * exits once the console has stopped the framework: 0 then, 1 if the console cannot start.
     */
    static void serve(EmbeddedSwitchboard switchboard, Path folder) throws InterruptedException {
        System.out.println("Type stop 0 (or Ctrl-D) to stop; help lists the commands.");
        System.out.flush();
        try {
            start(switchboard.bundleContext(), folder);
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            switchboard.stop();
            System.exit(1);
            return;
        }
        switchboard.awaitStop();
        System.exit(0); // the shutdown hook removes the framework's storage, says so and exits 0
    }

    /** Installs and starts the bundles of {@code folder}; the console's last, so that every command is there for its first line. */
    private static void start(BundleContext context, Path folder) throws StartupException {
        if (System.console() == null) {
            // Not a terminal (a pipe, a file): JLine falls back to a plain line reader, which is
            // what is wanted here, and this says so, so that it does not warn about it.
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        List<Bundle> bundles = new ArrayList<>();
        try {
            for (Path jar : jars(folder)) {
                bundles.add(context.installBundle(jar.toUri().toString()));
            }
            requireResolved(context, bundles);
            bundles.sort(Comparator.comparing(bundle -> CONSOLE_BUNDLE.equals(bundle.getSymbolicName())));
            startWithJLineInContext(bundles);
        } catch (BundleException e) {
            throw new StartupException("The shell failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Starts the bundles in order. The console's bundle opens the terminal on this thread, and
     * JLine looks its terminal providers (the native one, the one through stty) up through the
     * thread's context class loader: outside the jline bundle it finds none, and settles for a
     * plain line reader even on a terminal.
     */
    private static void startWithJLineInContext(List<Bundle> bundles) throws BundleException, StartupException {
        ClassLoader jline = bundles.stream().filter(bundle -> JLINE_BUNDLE.equals(bundle.getSymbolicName()))
                .map(bundle -> bundle.adapt(BundleWiring.class).getClassLoader()).findFirst()
                .orElseThrow(() -> new StartupException("No " + JLINE_BUNDLE + " bundle among the shell's bundles"));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(jline);
        try {
            for (Bundle bundle : bundles) {
                bundle.start();
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static List<Path> jars(Path folder) throws StartupException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(jar -> jar.getFileName().toString().startsWith(CONSOLE_BUNDLE))) {
                throw new StartupException("No Gogo console in " + folder + "; build the launcher again");
            }
            return jars;
        } catch (IOException e) {
            throw new StartupException("Cannot read the shell's bundles in " + folder + ": " + e, e);
        }
    }

    private static void requireResolved(BundleContext context, List<Bundle> bundles) throws StartupException {
        if (context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles)) {
            return;
        }
        StringBuilder message = new StringBuilder("Some of the shell's bundles do not resolve:");
        for (Bundle bundle : bundles) {
            if (bundle.getState() == Bundle.INSTALLED) {
                message.append(System.lineSeparator()).append("  ").append(bundle.getSymbolicName());
            }
        }
        throw new StartupException(message.toString());
    }
}

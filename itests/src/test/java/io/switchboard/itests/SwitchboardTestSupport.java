package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The base of every Pax Exam test: the framework's contents, and a check before each test that
 * all of it resolved and started.
 *
 * <p>Every test runs in Apache Felix and in Eclipse Equinox: failsafe runs the {@code *IT}
 * classes once per framework (see {@code itests/pom.xml}). The framework holds
 * {@link #baseOptions()} plus what a test class adds by overriding {@link #additionalOptions()}.
 * A test class declares no {@code @Configuration} method of its own: Pax Exam would run every
 * test once per such method, and an override of one that does not repeat the annotation is
 * silently ignored, leaving a framework without even JUnit in it.
 */
public abstract class SwitchboardTestSupport {

    /** The paths of the reactor bundles' jars, separated by the path separator; set by the POM. */
    static final String BUNDLES_PROPERTY = "switchboard.bundles";

    /** The symbolic name of the system bundle this run is meant for; set by the POM. */
    static final String FRAMEWORK_PROPERTY = "switchboard.framework";

    @Inject
    protected BundleContext context;

    @Configuration
    public final Option[] configuration() {
        return OptionUtils.combine(baseOptions(), additionalOptions());
    }

    /** Options a test class needs beyond {@link #baseOptions()}; none by default. */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /**
     * The reactor bundles, Declarative Services, Configuration Admin and Metatype, and what
     * Pax Exam itself needs.
     */
    protected static Option[] baseOptions() {
        return options(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                junitBundles(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                reactorBundles());
    }

    /**
     * The jars built in this Maven run, by path: a reactor SNAPSHOT looked up by Maven
     * coordinates could be missing (clean {@code mvn verify}) or stale (an older install).
     */
    private static Option reactorBundles() {
        String paths = System.getProperty(BUNDLES_PROPERTY, "");
        if (paths.isBlank()) {
            throw new IllegalStateException("System property " + BUNDLES_PROPERTY
                    + " is not set: run the tests through Maven (mvn verify -pl itests)");
        }
        List<Option> bundles = new ArrayList<>();
        for (String path : paths.split(File.pathSeparator)) {
            if (!path.endsWith(".jar") || !new File(path).isFile()) {
                throw new IllegalStateException("Not a bundle jar: " + path
                        + " (the reactor bundles are installed from their packaged jars)");
            }
            bundles.add(bundle("file:" + path));
        }
        return composite(bundles.toArray(new Option[0]));
    }

    /**
     * Fails the test, naming each culprit and why, unless every bundle in the framework is
     * active (or, for a fragment, resolved) and the framework is the one this run is for.
     */
    @Before
    public void everyBundleIsReady() {
        String framework = System.getProperty(FRAMEWORK_PROPERTY);
        if (framework != null) {
            assertEquals("framework", framework, context.getBundle(0).getSymbolicName());
        }
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = isFragment(bundle);
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                problems.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " is "
                        + stateName(bundle.getState()) + ": " + (fragment ? whyFragment(bundle) : why(bundle)));
            }
        }
        if (!problems.isEmpty()) {
            fail("Bundles not ready in " + context.getBundle(0).getSymbolicName() + ":\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** The installed bundle with this symbolic name; fails if there is none. */
    protected Bundle installedBundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        fail("No bundle " + symbolicName + " is installed");
        return null;
    }

    /** The version at which {@code bundle} exports {@code packageName}; fails if it does not. */
    protected static Version exportedVersion(Bundle bundle, String packageName) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertNotNull(bundle.getSymbolicName() + " is not resolved", wiring);
        for (BundleCapability export : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (packageName.equals(export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return (Version) export.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            }
        }
        fail(bundle.getSymbolicName() + " does not export " + packageName);
        return null;
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /** Why a bundle is not active: starting it again reports the resolver's or the activator's error. */
    private static String why(Bundle bundle) {
        try {
            bundle.start();
            return "it started when asked again, so it was not started with the others";
        } catch (BundleException | RuntimeException e) {
            StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                reason.append("\n    caused by ").append(cause);
            }
            return reason.toString();
        }
    }

    /** A fragment cannot be started: list what it needs, the host among it. */
    private static String whyFragment(Bundle bundle) {
        return "unresolved fragment; it requires "
                + bundle.adapt(BundleRevision.class).getDeclaredRequirements(null);
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "in state " + state;
        };
    }
}

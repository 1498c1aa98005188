package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;

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
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

import io.switchboard.testing.osgi.BundleCheck;
import io.switchboard.testing.osgi.SwitchboardOptions;

/**
 * The base of every Pax Exam test: the framework's contents, and a check before each test that
 * all of it resolved and started.
 *
 * <p>Every test runs in Apache Felix and in Eclipse Equinox: failsafe runs the {@code *IT}
 * classes once per framework (see {@code itests/pom.xml}). The framework holds
 * {@link #baseOptions()} plus what a test class adds by overriding {@link #additionalOptions()}.
 * The base is what handler authors get from {@code SwitchboardOptions} (io.switchboard.testing),
 * with this build's jars instead of the published bundles; and without its test endpoint, unless a
 * test class asks for it ({@link #withTestEndpoint()}), since most tests here configure their own.
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
        return OptionUtils.combine(new Option[] {baseOptions()}, additionalOptions());
    }

    /** Options a test class needs beyond {@link #baseOptions()}; none by default. */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    /** Whether the framework has the test endpoint of {@code SwitchboardOptions}; no by default. */
    protected boolean withTestEndpoint() {
        return false;
    }

    /**
     * {@code SwitchboardOptions}: Declarative Services, Configuration Admin, Metatype, what Pax
     * Exam itself needs, and the reactor bundles.
     */
    private Option baseOptions() {
        SwitchboardOptions.Builder options = SwitchboardOptions.builder().switchboardBundles(reactorBundles());
        if (!withTestEndpoint()) {
            options.withoutEndpoint();
        }
        return options.build();
    }

    /**
     * The jars built in this Maven run, by path: a reactor SNAPSHOT looked up by Maven
     * coordinates could be missing (clean {@code mvn verify}) or stale (an older install).
     */
    private static Option[] reactorBundles() {
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
        return bundles.toArray(new Option[0]);
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
        BundleCheck.assertEveryBundleReady(context);
    }

    /** The installed bundle with this symbolic name; fails if there is none. */
    protected Bundle installedBundle(String symbolicName) {
        return BundleCheck.installed(context, symbolicName);
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
}

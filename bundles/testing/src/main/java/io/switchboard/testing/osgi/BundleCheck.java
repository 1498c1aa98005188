package io.switchboard.testing.osgi;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Checks inside the framework that what a test provisioned is there and running, so that a
 * bundle that did not resolve fails the test with the resolver's reason rather than as a route
 * that never came. Call {@link #assertEveryBundleReady} first in each test (or in a
 * {@code @Before} method).
 *
 * <p>Runs on the test's thread, inside the framework; stateless.
 */
public final class BundleCheck {
    private BundleCheck() {
    }

    /**
     * Fails the test, naming each culprit and why, unless every bundle in the framework is active
     * (or, for a fragment, resolved).
     */
    public static void assertEveryBundleReady(BundleContext context) {
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
            throw new AssertionError("Bundles not ready in " + context.getBundle(0).getSymbolicName() + ":\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** The installed bundle with this symbolic name; fails the test if there is none. */
    public static Bundle installed(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("No bundle " + symbolicName + " is installed");
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

package io.switchboard.testing.osgi;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.ops4j.pax.exam.Option;

import io.switchboard.testing.TestEndpoint;

/**
 * Pax Exam options that provision a framework with Switchboard, for tests of handler bundles:
 *
 * <pre>{@code
 * @Configuration
 * public Option[] configuration() {
 *     return options(SwitchboardOptions.switchboard(), bundle("file:target/my-handler.jar"));
 * }
 * }</pre>
 *
 * <p>{@link #switchboard()} holds JUnit (for the test probe), Declarative Services, Configuration
 * Admin and Metatype with the OSGi API bundles they need, at the versions Switchboard is tested
 * with; the Switchboard bundles (api, codec, handshake, endpoint, whiteboard, and this testing
 * bundle) by their Maven coordinates at the version of this testing bundle; and an endpoint,
 * named {@value TestEndpoint#NAME}, on {@value TestEndpoint#HOST} and port 0: it binds a free
 * port when it starts, inside the framework, where {@link TestEndpoint} learns it, and
 * {@link TestEndpoint#awaitRoute} waits until a handler serves a route.
 *
 * <p>Bundles given by Maven coordinates are resolved by pax-url-aether, from the local
 * repository it is told of ({@code org.ops4j.pax.url.mvn.localRepository}; pass the build's
 * {@code ${settings.localRepository}}) or a remote one.
 *
 * <p>Runs in the test JVM, outside the framework, in the {@code @Configuration} method.
 */
public final class SwitchboardOptions {
    /** The versions this bundle was built and tested with, written into the jar by its build. */
    private static final Properties VERSIONS = versions();

    private SwitchboardOptions() {
    }

    /** Switchboard, what it needs, and the test endpoint: see the class comment. */
    public static Option switchboard() {
        return builder().build();
    }

    /** Options that differ from {@link #switchboard()} in the Switchboard bundles or the endpoint. */
    public static Builder builder() {
        return new Builder();
    }

    /** The version of the Switchboard bundles that {@link #switchboard()} installs: this bundle's own. */
    public static String switchboardVersion() {
        return VERSIONS.getProperty("switchboard");
    }

    /** How the options differ from {@link #switchboard()}; build them with {@link #build()}. */
    public static final class Builder {
        private final List<Option> switchboardBundles = new ArrayList<>();
        private String version = switchboardVersion();
        private boolean endpoint = true;

        private Builder() {
        }

        /**
         * Installs these bundles instead of the Switchboard bundles by Maven coordinates — such as
         * the jars a build has just made, by path — which must include this testing bundle.
         */
        public Builder switchboardBundles(Option... bundles) {
            switchboardBundles.addAll(List.of(bundles));
            return this;
        }

        /** Installs the Switchboard bundles, by Maven coordinates, at this version. */
        public Builder version(String switchboardVersion) {
            this.version = switchboardVersion;
            return this;
        }

        /** Configures no endpoint: the test creates its own through Configuration Admin. */
        public Builder withoutEndpoint() {
            this.endpoint = false;
            return this;
        }

        public Option build() {
            List<Option> options = new ArrayList<>();
            options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
            options.add(junitBundles());
            options.add(thirdParty("org.osgi", "org.osgi.util.function"));
            options.add(thirdParty("org.osgi", "org.osgi.util.promise"));
            options.add(thirdParty("org.osgi", "org.osgi.service.component"));
            options.add(thirdParty("org.apache.felix", "org.apache.felix.scr"));
            options.add(thirdParty("org.apache.felix", "org.apache.felix.configadmin"));
            options.add(thirdParty("org.apache.felix", "org.apache.felix.metatype"));
            if (switchboardBundles.isEmpty()) {
                for (String bundle : List.of("api", "codec", "handshake", "endpoint", "whiteboard", "testing")) {
                    options.add(mavenBundle("io.switchboard", "io.switchboard." + bundle, version));
                }
            } else {
                options.addAll(switchboardBundles);
            }
            // Always set, to false for none: the JVM keeps system properties from one test class to the next.
            options.add(systemProperty(TestEndpoint.ENDPOINT_PROPERTY).value(String.valueOf(endpoint)));
            return composite(options.toArray(new Option[0]));
        }
    }

    private static Option thirdParty(String groupId, String artifactId) {
        String version = VERSIONS.getProperty(artifactId);
        if (version == null) {
            throw new IllegalStateException("no version of " + artifactId + " in versions.properties");
        }
        return mavenBundle(groupId, artifactId, version);
    }

    private static Properties versions() {
        Properties versions = new Properties();
        try (InputStream in = SwitchboardOptions.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing beside " + SwitchboardOptions.class);
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }
}

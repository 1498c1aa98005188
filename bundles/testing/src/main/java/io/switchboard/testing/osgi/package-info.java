/**
 * Switchboard in a Pax Exam test: {@link io.switchboard.testing.osgi.SwitchboardOptions}
 * provisions the framework (outside it, in the test's {@code @Configuration} method), and
 * {@link io.switchboard.testing.osgi.BundleCheck} checks inside it that every bundle resolved and
 * started.
 *
 * <p>The package uses the OSGi framework API and Pax Exam's options; the bundle imports Pax Exam
 * optionally, so the clients of {@code io.switchboard.testing} work in a framework without it.
 */
@Export
@Version("0.1.0")
package io.switchboard.testing.osgi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * What the Jakarta whiteboard serves: {@link io.switchboard.jakarta.runtime.JakartaRuntime} lists
 * the Jakarta endpoint services it deployed, each with the native handler service that serves it,
 * and those it could not deploy, with the reason.
 */
@Export
@Version("0.1.0")
package io.switchboard.jakarta.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

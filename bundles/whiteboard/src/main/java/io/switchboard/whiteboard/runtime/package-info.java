/** Data transfer objects describing the whiteboard's state (see {@link io.switchboard.whiteboard.SwitchboardRuntime}). */
@Export
@Version("0.2.0")
package io.switchboard.whiteboard.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

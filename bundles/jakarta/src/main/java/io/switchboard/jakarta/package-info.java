/**
 * Jakarta WebSocket 2.2 server endpoints on Switchboard's engine, without a servlet container:
 * {@link io.switchboard.jakarta.JakartaEndpoints} deploys annotated and programmatic endpoints and
 * routes handshakes to them for a {@code WebSocketServer}.
 */
@Export
@Version("0.1.0")
package io.switchboard.jakarta;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

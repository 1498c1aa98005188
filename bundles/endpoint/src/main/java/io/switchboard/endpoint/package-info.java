/**
 * The plain-Java WebSocket server and client: {@link io.switchboard.endpoint.WebSocketServer},
 * {@link io.switchboard.endpoint.WebSocketClient} and their builders. No OSGi needed; the OSGi
 * whiteboard drives the same server.
 */
@Export
@Version("0.3.0")
package io.switchboard.endpoint;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

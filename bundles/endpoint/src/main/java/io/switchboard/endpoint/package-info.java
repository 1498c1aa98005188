/**
 * The plain-Java WebSocket server: {@link io.switchboard.endpoint.WebSocketServer} and its
 * builder. No OSGi needed; the OSGi whiteboard drives the same server.
 */
@Export
@Version("0.2.0")
package io.switchboard.endpoint;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The OSGi whiteboard of Switchboard: register a {@link io.switchboard.api.ConnectionHandler} as
 * a service with a {@value io.switchboard.whiteboard.WhiteboardConstants#ROUTE} property, create
 * an endpoint with a factory configuration of
 * {@value io.switchboard.whiteboard.WhiteboardConstants#ENDPOINT_FACTORY_PID}, and connections
 * reach the handler; update the handler's bundle and they stay connected. Outbound connections
 * come from the {@link io.switchboard.whiteboard.SwitchboardClient} service.
 */
@Export
@Version("0.2.0")
package io.switchboard.whiteboard;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Jakarta WebSocket 2.2 server endpoints on Switchboard's engine, without a servlet container:
 * {@link io.switchboard.jakarta.JakartaEndpoints} deploys annotated and programmatic endpoints and
 * routes handshakes to them for a {@code WebSocketServer}.
 *
 * <p><b>In OSGi</b> the bundle is also a whiteboard: every service with
 * {@code osgi.jakarta.websocket.endpoint.implementor=true} (the draft OSGi Jakarta WebSocket
 * Whiteboard) or Pax Web's {@code websocket=true}, whose object is an {@code @ServerEndpoint} class
 * or an {@code Endpoint} subclass, is deployed and served on its path
 * ({@code osgi.jakarta.websocket.endpoint.path}, else the annotation's; required for an
 * {@code Endpoint}) by a native {@code ConnectionHandler} service that the bundle registers with
 * the endpoint service's ranking and {@code switchboard.*} properties, so routing, targets and the
 * hot-swap contract are the native whiteboard's. A prototype-scoped service gives each session its
 * own instance, released when the session ends or is handed over; any other is shared.
 *
 * <p><b>Adoption.</b> When an endpoint service goes away (or its bundle is updated), each of its
 * live sessions is handed to the best replacement for its path, between two messages: the
 * replacement's {@code onOpen} is called for a new {@code Session} on the same connection, with
 * the same {@code getId()}, the path parameters matched again, and the user property
 * {@link io.switchboard.jakarta.JakartaEndpoints#ADOPTED} set to {@code true}; the endpoint handed
 * from gets no {@code onClose}. Without a replacement the connection waits, reads paused, for the
 * swap grace period. {@link io.switchboard.jakarta.runtime.JakartaRuntime} lists the deployed
 * endpoint services and those that failed, with the reason.
 */
@Export
@Version("0.1.0")
package io.switchboard.jakarta;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

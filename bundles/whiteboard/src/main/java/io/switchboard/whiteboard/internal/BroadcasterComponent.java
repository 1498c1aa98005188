package io.switchboard.whiteboard.internal;

import org.osgi.service.component.annotations.Component;

import io.switchboard.api.Broadcaster;
import io.switchboard.endpoint.Broadcasts;

/**
 * The one {@link Broadcaster} of the framework, a service whether or not an endpoint is
 * configured yet, so that a handler bundle that depends only on the api gets it with
 * {@code @Reference}. Topics are shared by every bundle that uses it.
 */
@Component(service = Broadcaster.class)
public final class BroadcasterComponent extends Broadcasts {
}

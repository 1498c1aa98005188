package io.switchboard.whiteboard;

import java.net.InetSocketAddress;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.switchboard.endpoint.ConnectionInfo;

/**
 * A running endpoint, registered as a service with the {@code switchboard.endpoint.*} properties
 * of {@link WhiteboardConstants}, so that handlers can target it and tools can find it.
 */
@ProviderType
public interface SwitchboardEndpoint {
    String name();

    InetSocketAddress address();

    boolean secure();

    /** A snapshot of its live connections. */
    List<ConnectionInfo> connections();

    /** Closes one connection with 1000 and {@code reason}; false if no live connection has that id. */
    boolean close(long connectionId, String reason);
}

package io.switchboard.shell.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongFunction;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;
import io.switchboard.whiteboard.runtime.FailedHandlerDTO;
import io.switchboard.whiteboard.runtime.HandlerDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * What each {@code switchboard:} command does, whichever shell runs it: the Karaf actions and the
 * Gogo functions ({@link GogoCommands}) are thin callers of these, so both print the same.
 * Stateless; each call works on the snapshot the whiteboard's services give it.
 */
final class Commands {
    private Commands() {
    }

    /** {@code switchboard:endpoints}: every running endpoint, where it listens, and its live connections. */
    static Table endpoints(List<SwitchboardEndpoint> endpoints) {
        Table table = new Table().left("Name").left("Host").right("Port").left("Secure").right("Connections");
        for (SwitchboardEndpoint endpoint : byName(endpoints)) {
            table.row(endpoint.name(), host(endpoint.address()), endpoint.address().getPort(), endpoint.secure(),
                    endpoint.connections().size());
        }
        return table;
    }

    /** {@code switchboard:handlers}: every handler service, bound, shadowed by a better one, or failed and why. */
    static Table handlers(RuntimeDTO state, BundleContext context) {
        Table table = new Table().left("State").right("Service").right("Ranking").left("Bundle").left("Routes")
                .left("Endpoints").left("Reason");
        addHandlers(table, "bound", state.boundHandlers, context);
        addHandlers(table, "shadowed", state.shadowedHandlers, context);
        addHandlers(table, "failed", state.failedHandlers, context);
        return table;
    }

    /**
     * {@code switchboard:connections}: every live connection of every endpoint ({@code in}), then
     * every open one that a bundle opened through the client service ({@code out}: its URI in the
     * Route column, the bundle that opened it in the Handler column). The direction comes last, so
     * that scripts splitting rows on {@code '|'} find the other columns where they were.
     */
    static Table connections(List<SwitchboardEndpoint> endpoints, RuntimeDTO state, LongFunction<String> bundleName,
                             Instant now) {
        Table table = new Table().right("Id").left("Endpoint").left("Route").left("Remote").left("Handler")
                .right("Age").right("Bytes in").right("Bytes out").left("Direction");
        for (SwitchboardEndpoint endpoint : byName(endpoints)) {
            for (ConnectionInfo connection : endpoint.connections()) {
                table.row(connection.id(), endpoint.name(), connection.path(), remote(connection),
                        connection.binding() == null ? "(waiting for a handler)" : connection.binding(),
                        age(Duration.between(connection.opened(), now)), connection.bytesIn(), connection.bytesOut(), "in");
            }
        }
        if (state != null && state.clientConnections != null) {
            for (ClientConnectionDTO connection : state.clientConnections) {
                table.row(connection.id, "", connection.uri, connection.remoteAddress, bundleName.apply(connection.bundleId),
                        "", "", "", "out");
            }
        }
        return table;
    }

    /**
     * {@code switchboard:close <id> [reason]}: closes that connection with 1000 and the reason;
     * returns what to tell the user.
     *
     * @throws IllegalArgumentException if no live connection has that id
     */
    static String close(List<SwitchboardEndpoint> endpoints, long id, String reason) {
        for (SwitchboardEndpoint endpoint : byName(endpoints)) {
            if (endpoint.close(id, reason)) {
                return "Closed connection " + id + " of endpoint " + endpoint.name();
            }
        }
        throw new IllegalArgumentException("No live connection has the id " + id);
    }

    /** The endpoints sorted by name; none if the reference list was not injected. */
    static List<SwitchboardEndpoint> byName(List<SwitchboardEndpoint> endpoints) {
        return endpoints == null ? List.of()
                : endpoints.stream().sorted(Comparator.comparing(SwitchboardEndpoint::name)).toList();
    }

    /** Like {@code 2h03m}, {@code 4m05s} or {@code 12s}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds >= 86_400) {
            return String.format("%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
        }
        if (seconds >= 3600) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    private static void addHandlers(Table table, String stateName, HandlerDTO[] handlers, BundleContext context) {
        if (handlers == null) {
            return;
        }
        for (HandlerDTO handler : handlers) {
            String reason = handler instanceof FailedHandlerDTO failed ? failed.reason : "";
            table.row(stateName, handler.serviceId, handler.ranking, bundle(context, handler.bundleId),
                    join(handler.routes), join(handler.endpoints), reason);
        }
    }

    static String bundle(BundleContext context, long id) {
        Bundle bundle = context.getBundle(id);
        return bundle == null ? String.valueOf(id) : bundle.getSymbolicName() + " [" + id + "]";
    }

    private static String join(String[] values) {
        return values == null ? "" : String.join(", ", values);
    }

    private static String remote(ConnectionInfo connection) {
        return connection.remote() == null ? "" : host(connection.remote()) + ":" + connection.remote().getPort();
    }

    /** The address as a number ({@code 0.0.0.0} for every interface), or the host name if unresolved. */
    private static String host(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }
}

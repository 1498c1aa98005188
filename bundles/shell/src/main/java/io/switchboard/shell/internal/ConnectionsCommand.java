package io.switchboard.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.whiteboard.SwitchboardEndpoint;

/** {@code switchboard:connections}: every live connection of every endpoint. */
@Service
@Command(scope = "switchboard", name = "connections", description = "Lists the live WebSocket connections.")
public class ConnectionsCommand implements Action {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public Object execute() {
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Endpoint");
        table.column("Route");
        table.column("Remote");
        table.column("Handler");
        table.column("Age").alignRight();
        table.column("Bytes in").alignRight();
        table.column("Bytes out").alignRight();
        for (SwitchboardEndpoint endpoint : Endpoints.byName(endpoints)) {
            for (ConnectionInfo connection : endpoint.connections()) {
                table.addRow().addContent(connection.id(), endpoint.name(), connection.path(),
                        remote(connection), connection.binding() == null ? "(waiting for a handler)" : connection.binding(),
                        age(Duration.between(connection.opened(), now)), connection.bytesIn(), connection.bytesOut());
            }
        }
        table.print(System.out);
        return null;
    }

    private static String remote(ConnectionInfo connection) {
        return connection.remote() == null ? ""
                : Endpoints.host(connection.remote()) + ":" + connection.remote().getPort();
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
}

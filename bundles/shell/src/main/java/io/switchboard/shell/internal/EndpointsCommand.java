package io.switchboard.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.switchboard.whiteboard.SwitchboardEndpoint;

/** {@code switchboard:endpoints}: every running endpoint, where it listens, and its live connections. */
@Service
@Command(scope = "switchboard", name = "endpoints", description = "Lists the running WebSocket endpoints.")
public class EndpointsCommand implements Action {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Host");
        table.column("Port").alignRight();
        table.column("Secure");
        table.column("Connections").alignRight();
        for (SwitchboardEndpoint endpoint : Endpoints.byName(endpoints)) {
            table.addRow().addContent(endpoint.name(), Endpoints.host(endpoint.address()), endpoint.address().getPort(),
                    endpoint.secure(), endpoint.connections().size());
        }
        table.print(System.out);
        return null;
    }
}

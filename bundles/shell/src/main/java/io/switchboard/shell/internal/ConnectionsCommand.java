package io.switchboard.shell.internal;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.switchboard.whiteboard.SwitchboardEndpoint;

/** {@code switchboard:connections} in Karaf's shell; {@link Commands#connections} says what it prints. */
@Service
@Command(scope = "switchboard", name = "connections", description = "Lists the live WebSocket connections.")
public class ConnectionsCommand implements Action {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public Object execute() {
        Commands.connections(endpoints, Instant.now()).print(System.out);
        return null;
    }
}

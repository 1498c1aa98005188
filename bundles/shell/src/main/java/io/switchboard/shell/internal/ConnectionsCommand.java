package io.switchboard.shell.internal;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.SwitchboardRuntime;

/** {@code switchboard:connections} in Karaf's shell; {@link Commands#connections} says what it prints. */
@Service
@Command(scope = "switchboard", name = "connections", description = "Lists the live WebSocket connections, inbound and outbound.")
public class ConnectionsCommand implements Action {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Reference
    SwitchboardRuntime runtime;

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        Commands.connections(endpoints, runtime.runtime(), id -> Commands.bundle(context, id), Instant.now())
                .print(System.out);
        return null;
    }
}

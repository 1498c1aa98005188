package io.switchboard.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.switchboard.whiteboard.SwitchboardEndpoint;

/** {@code switchboard:endpoints} in Karaf's shell; {@link Commands#endpoints} says what it prints. */
@Service
@Command(scope = "switchboard", name = "endpoints", description = "Lists the running WebSocket endpoints.")
public class EndpointsCommand implements Action {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public Object execute() {
        Commands.endpoints(endpoints).print(System.out);
        return null;
    }
}

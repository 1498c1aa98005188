package io.switchboard.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.switchboard.whiteboard.SwitchboardEndpoint;

/** {@code switchboard:close <id> [reason]}: closes one live connection with 1000 (normal closure). */
@Service
@Command(scope = "switchboard", name = "close", description = "Closes a live WebSocket connection with 1000 (normal closure).")
public class CloseCommand implements Action {

    @Argument(index = 0, name = "id", description = "The connection's id, as switchboard:connections shows it.", required = true)
    @Completion(ConnectionIdCompleter.class)
    long id;

    @Argument(index = 1, name = "reason", description = "The reason sent in the close frame (at most 123 bytes of UTF-8).")
    String reason = "";

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public Object execute() {
        System.out.println(Commands.close(endpoints, id, reason));
        return null;
    }
}

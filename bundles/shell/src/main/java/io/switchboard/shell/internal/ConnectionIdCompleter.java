package io.switchboard.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.whiteboard.SwitchboardEndpoint;

/** Completes the ids of the live connections. */
@Service
public class ConnectionIdCompleter implements Completer {

    @Reference(optional = true)
    List<SwitchboardEndpoint> endpoints;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (SwitchboardEndpoint endpoint : Commands.byName(endpoints)) {
            for (ConnectionInfo connection : endpoint.connections()) {
                ids.getStrings().add(Long.toString(connection.id()));
            }
        }
        return ids.complete(session, commandLine, candidates);
    }
}

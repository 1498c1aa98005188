package io.switchboard.shell.internal;

import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import io.switchboard.whiteboard.SwitchboardClient;

/** {@code switchboard:connect URI [message...]} in Karaf's shell; {@link QuickConnect} says what it does. */
@Service
@Command(scope = "switchboard", name = "connect",
        description = "Connects to a WebSocket server, sends the messages, prints what comes back, then closes with 1000.")
public class ConnectCommand implements Action {

    @Argument(index = 0, name = "uri", description = "ws:// or wss:// URI to connect to.", required = true)
    String uri;

    @Argument(index = 1, name = "messages", description = "Text messages to send, in order.", multiValued = true)
    List<String> messages = List.of();

    @Option(name = "-w", aliases = "--wait", description = "Milliseconds to print what comes back, unless the server closes first.")
    long waitMillis = QuickConnect.DEFAULT_WAIT_MILLIS;

    @Reference(optional = true)
    SwitchboardClient client;

    @Override
    public Object execute() throws InterruptedException {
        QuickConnect.run(client, uri, messages, Duration.ofMillis(waitMillis), System.out);
        return null;
    }
}

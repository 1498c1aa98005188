package io.switchboard.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.threadio.ThreadIO;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.switchboard.whiteboard.SwitchboardClient;
import io.switchboard.whiteboard.SwitchboardEndpoint;
import io.switchboard.whiteboard.SwitchboardRuntime;

/**
 * The {@code switchboard:} commands as Apache Felix Gogo functions: a service with the
 * {@code osgi.command.scope} and {@code osgi.command.function} properties, whose public methods
 * Gogo calls by name. They print what the Karaf actions print ({@link Commands}).
 *
 * <p>The component requires Gogo's {@link ThreadIO} service. The functions print to
 * {@code System.out}, which ThreadIO routes to the session running them. It also keeps them out
 * of Karaf: Karaf's shell takes any service with these properties for a command too, so there
 * they would stand beside this bundle's Karaf actions and each command would be listed twice; but
 * Karaf keeps its ThreadIO to itself, so there this component stays unsatisfied.
 *
 * <p>Gogo calls the functions on each session's own thread, several sessions at once: they keep
 * no state, and read the endpoints from the list that the component runtime replaces whole.
 */
@Component(service = GogoCommands.class,
        property = { "osgi.command.scope=switchboard",
                "osgi.command.function=endpoints", "osgi.command.function=handlers",
                "osgi.command.function=connections", "osgi.command.function=close",
                "osgi.command.function=connect" },
        reference = @Reference(name = "threadIO", service = ThreadIO.class))
public class GogoCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<SwitchboardEndpoint> endpoints;

    @Reference
    private SwitchboardRuntime runtime;

    /** This bundle's instance of the bundle-scoped service: what {@code connect} opens is closed with it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SwitchboardClient client;

    private final BundleContext context;

    @Activate
    public GogoCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("Lists the running WebSocket endpoints.")
    public void endpoints() {
        Commands.endpoints(endpoints).print(System.out);
    }

    @Descriptor("Lists the connection handler services: bound, shadowed and failed.")
    public void handlers() {
        Commands.handlers(runtime.runtime(), context).print(System.out);
    }

    @Descriptor("Lists the live WebSocket connections, inbound and outbound.")
    public void connections() {
        Commands.connections(endpoints, runtime.runtime(), id -> Commands.bundle(context, id), Instant.now())
                .print(System.out);
    }

    @Descriptor("Connects to a WebSocket server, sends the messages, prints what comes back, then closes with 1000.")
    public void connect(
            @Descriptor("Milliseconds to print what comes back, unless the server closes first.")
            @Parameter(names = { "-w", "--wait" }, absentValue = "" + QuickConnect.DEFAULT_WAIT_MILLIS) long waitMillis,
            @Descriptor("ws:// or wss:// URI to connect to.") String uri,
            @Descriptor("Text messages to send, in order.") String... messages) throws InterruptedException {
        QuickConnect.run(client, uri, List.of(messages), Duration.ofMillis(waitMillis), System.out);
    }

    @Descriptor("Closes a live WebSocket connection with 1000 (normal closure).")
    public void close(@Descriptor("The connection's id, as switchboard:connections shows it.") long id,
            @Descriptor("The reason sent in the close frame (at most 123 bytes of UTF-8).") String reason) {
        System.out.println(Commands.close(endpoints, id, reason));
    }

    @Descriptor("Closes a live WebSocket connection with 1000 (normal closure).")
    public void close(@Descriptor("The connection's id, as switchboard:connections shows it.") long id) {
        close(id, "");
    }
}

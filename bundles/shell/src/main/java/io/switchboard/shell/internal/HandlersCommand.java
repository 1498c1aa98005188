package io.switchboard.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

import io.switchboard.whiteboard.SwitchboardRuntime;

/** {@code switchboard:handlers} in Karaf's shell; {@link Commands#handlers} says what it prints. */
@Service
@Command(scope = "switchboard", name = "handlers", description = "Lists the connection handler services: bound, shadowed and failed.")
public class HandlersCommand implements Action {

    @Reference
    SwitchboardRuntime runtime;

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        Commands.handlers(runtime.runtime(), context).print(System.out);
        return null;
    }
}

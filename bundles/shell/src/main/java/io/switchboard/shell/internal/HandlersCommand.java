package io.switchboard.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.runtime.FailedHandlerDTO;
import io.switchboard.whiteboard.runtime.HandlerDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * {@code switchboard:handlers}: every handler service the whiteboard knows, bound, shadowed by a
 * better-ranked one, or failed with the reason.
 */
@Service
@Command(scope = "switchboard", name = "handlers", description = "Lists the connection handler services: bound, shadowed and failed.")
public class HandlersCommand implements Action {

    @Reference
    SwitchboardRuntime runtime;

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        RuntimeDTO state = runtime.runtime();
        ShellTable table = new ShellTable();
        table.column("State");
        table.column("Service").alignRight();
        table.column("Ranking").alignRight();
        table.column("Bundle");
        table.column("Routes");
        table.column("Endpoints");
        table.column("Reason");
        add(table, "bound", state.boundHandlers);
        add(table, "shadowed", state.shadowedHandlers);
        add(table, "failed", state.failedHandlers);
        table.print(System.out);
        return null;
    }

    private void add(ShellTable table, String stateName, HandlerDTO[] handlers) {
        if (handlers == null) {
            return;
        }
        for (HandlerDTO handler : handlers) {
            String reason = handler instanceof FailedHandlerDTO failed ? failed.reason : "";
            table.addRow().addContent(stateName, handler.serviceId, handler.ranking, bundle(handler.bundleId),
                    join(handler.routes), join(handler.endpoints), reason);
        }
    }

    private String bundle(long id) {
        Bundle bundle = context.getBundle(id);
        return bundle == null ? String.valueOf(id) : bundle.getSymbolicName() + " [" + id + "]";
    }

    private static String join(String[] values) {
        return values == null ? "" : String.join(", ", values);
    }
}

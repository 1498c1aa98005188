package io.switchboard.whiteboard.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;
import io.switchboard.whiteboard.runtime.EndpointDTO;
import io.switchboard.whiteboard.runtime.FailedHandlerDTO;
import io.switchboard.whiteboard.runtime.HandlerDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * Tracks every {@link ConnectionHandler} service and tells the endpoints when one comes, changes
 * or goes. The handlers are kept as an immutable list, best first, replaced on each change (copy
 * on write), so that routing reads it without locks. Changes are handled one at a time.
 */
@Component(service = {HandlerRegistry.class, SwitchboardRuntime.class})
public final class HandlerRegistry implements SwitchboardRuntime {
    private final List<EndpointComponent> endpoints = new CopyOnWriteArrayList<>();
    private volatile List<HandlerEntry> entries = List.of();
    /** The SwitchboardClient service's component, whose connections the runtime information lists; null if none. */
    private volatile ClientComponent client;
    private ServiceTracker<ConnectionHandler, ServiceBinding> tracker;

    @Activate
    void activate(BundleContext context) {
        tracker = new ServiceTracker<>(context, ConnectionHandler.class, new Customizer(context));
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** Starts telling {@code endpoint} of changes, beginning with the handlers there are now. */
    synchronized void attach(EndpointComponent endpoint) {
        if (!endpoints.contains(endpoint)) {
            endpoints.add(endpoint);
        }
        endpoint.handlersChanged(entries, null);
    }

    synchronized void detach(EndpointComponent endpoint) {
        endpoints.remove(endpoint);
    }

    /** The server of the endpoint attached first of those running; null if none runs. */
    WebSocketServer oldestServer() {
        for (EndpointComponent endpoint : endpoints) {
            return endpoint.server();
        }
        return null;
    }

    void attachClient(ClientComponent component) {
        client = component;
    }

    void detachClient(ClientComponent component) {
        if (client == component) {
            client = null;
        }
    }

    @Override
    public RuntimeDTO runtime() {
        List<HandlerEntry> current = entries;
        List<EndpointDTO> endpointDtos = new ArrayList<>();
        Set<HandlerEntry> bound = new HashSet<>();
        for (EndpointComponent endpoint : endpoints) {
            EndpointDTO dto = endpoint.describe();
            if (dto != null) {
                endpointDtos.add(dto);
                bound.addAll(endpoint.boundEntries());
            }
        }
        List<HandlerDTO> boundDtos = new ArrayList<>();
        List<HandlerDTO> shadowedDtos = new ArrayList<>();
        List<FailedHandlerDTO> failedDtos = new ArrayList<>();
        for (HandlerEntry entry : current) {
            String failure = entry.failure() != null ? entry.failure() : entry.binding().failure();
            if (failure != null) {
                failedDtos.add(fill(new FailedHandlerDTO(), entry, failure));
            } else if (bound.contains(entry)) {
                boundDtos.add(fill(new HandlerDTO(), entry, null));
            } else {
                shadowedDtos.add(fill(new HandlerDTO(), entry, null));
            }
        }
        RuntimeDTO runtime = new RuntimeDTO();
        runtime.endpoints = endpointDtos.toArray(EndpointDTO[]::new);
        runtime.boundHandlers = boundDtos.toArray(HandlerDTO[]::new);
        runtime.shadowedHandlers = shadowedDtos.toArray(HandlerDTO[]::new);
        runtime.failedHandlers = failedDtos.toArray(FailedHandlerDTO[]::new);
        ClientComponent outbound = client;
        runtime.clientConnections = outbound == null ? new ClientConnectionDTO[0]
                : outbound.describe().toArray(ClientConnectionDTO[]::new);
        return runtime;
    }

    private <T extends HandlerDTO> T fill(T dto, HandlerEntry entry, String failure) {
        dto.serviceId = entry.serviceId();
        dto.ranking = entry.ranking();
        dto.bundleId = entry.bundleId();
        dto.routes = entry.routes().toArray(String[]::new);
        List<String> holding = new ArrayList<>();
        for (EndpointComponent endpoint : endpoints) {
            if (endpoint.boundEntries().contains(entry)) {
                holding.add(endpoint.name());
            }
        }
        dto.endpoints = holding.toArray(String[]::new);
        dto.blocking = entry.blocking();
        dto.adoptsLiveConnections = entry.adoptsLiveConnections();
        if (dto instanceof FailedHandlerDTO failed) {
            failed.reason = failure;
        }
        return dto;
    }

    /**
     * Replaces {@code before} (if any) by {@code after} (if any) and tells the endpoints. A
     * service that changed its properties is neither new nor gone: its live connections stay.
     */
    private synchronized void changed(HandlerEntry after, HandlerEntry before, boolean sameService) {
        List<HandlerEntry> next = new ArrayList<>(entries);
        if (before != null) {
            next.removeIf(entry -> entry.binding() == before.binding());
        }
        if (after != null) {
            next.add(after);
        }
        next.sort(HandlerEntry::compare);
        entries = List.copyOf(next);
        for (EndpointComponent endpoint : endpoints) {
            endpoint.handlersChanged(entries, sameService ? null : before);
        }
    }

    private HandlerEntry entryOf(ServiceBinding binding) {
        for (HandlerEntry entry : entries) {
            if (entry.binding() == binding) {
                return entry;
            }
        }
        return null;
    }

    /** Reads properties only: the service itself is got per connection, by the endpoint. */
    private final class Customizer implements ServiceTrackerCustomizer<ConnectionHandler, ServiceBinding> {
        private final BundleContext context;

        Customizer(BundleContext context) {
            this.context = context;
        }

        @Override
        public ServiceBinding addingService(ServiceReference<ConnectionHandler> reference) {
            ServiceBinding binding = new ServiceBinding(context, reference);
            changed(HandlerEntry.read(binding), null, false);
            return binding;
        }

        @Override
        public void modifiedService(ServiceReference<ConnectionHandler> reference, ServiceBinding binding) {
            // Live connections stay with the same binding; only routing of new ones changes.
            HandlerEntry before = entryOf(binding);
            changed(HandlerEntry.read(binding), before, true);
        }

        @Override
        public void removedService(ServiceReference<ConnectionHandler> reference, ServiceBinding binding) {
            changed(null, entryOf(binding), false);
        }
    }
}

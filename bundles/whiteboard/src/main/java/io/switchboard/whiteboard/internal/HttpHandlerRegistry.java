package io.switchboard.whiteboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import io.switchboard.api.HttpHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.api.Request;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * Tracks {@link HttpHandler} services, which answer the plain HTTP requests that reach an
 * endpoint (a page whose script opens the WebSocket, say). Like connection handlers they carry
 * {@code switchboard.route} (exact paths) and optionally {@code switchboard.endpoint.target}; the
 * best by ranking answers. The service is got for each request and given back after it.
 */
@Component(service = HttpHandlerRegistry.class)
public final class HttpHandlerRegistry {
    private volatile List<Entry> entries = List.of();
    private ServiceTracker<HttpHandler, Entry> tracker;

    @Activate
    void activate(BundleContext context) {
        tracker = new ServiceTracker<>(context, HttpHandler.class, new Customizer(context));
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** The best handler's response for the request on an endpoint with these properties, or null (404). */
    HttpResponse serve(Request request, Map<String, Object> endpointProperties) {
        for (Entry entry : entries) {
            if (entry.routes.contains(request.path()) && (entry.target == null || entry.target.matches(endpointProperties))) {
                ServiceObjects<HttpHandler> objects = entry.context.getServiceObjects(entry.reference);
                HttpHandler handler = objects == null ? null : objects.getService();
                if (handler == null) {
                    continue;
                }
                try {
                    return handler.serve(request);
                } finally {
                    objects.ungetService(handler);
                }
            }
        }
        return null;
    }

    private synchronized void replace(Entry before, Entry after) {
        List<Entry> next = new ArrayList<>(entries);
        next.remove(before);
        if (after != null && !after.routes.isEmpty()) {
            next.add(after);
        }
        next.sort((a, b) -> a.ranking != b.ranking ? Integer.compare(b.ranking, a.ranking) : Long.compare(a.serviceId, b.serviceId));
        entries = List.copyOf(next);
    }

    private static final class Entry {
        final BundleContext context;
        final ServiceReference<HttpHandler> reference;
        final List<String> routes;
        final Filter target;
        final int ranking;
        final long serviceId;

        Entry(BundleContext context, ServiceReference<HttpHandler> reference) {
            this.context = context;
            this.reference = reference;
            this.routes = HandlerEntry.strings(reference.getProperty(WhiteboardConstants.ROUTE));
            this.target = filter(reference.getProperty(WhiteboardConstants.ENDPOINT_TARGET));
            this.ranking = reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
            this.serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
        }

        /** An invalid filter matches nothing rather than everything. */
        private static Filter filter(Object property) {
            if (property == null) {
                return null;
            }
            try {
                return FrameworkUtil.createFilter(String.valueOf(property));
            } catch (InvalidSyntaxException e) {
                try {
                    return FrameworkUtil.createFilter("(!(objectClass=*))");
                } catch (InvalidSyntaxException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
    }

    private final class Customizer implements ServiceTrackerCustomizer<HttpHandler, Entry> {
        private final BundleContext context;

        Customizer(BundleContext context) {
            this.context = context;
        }

        @Override
        public Entry addingService(ServiceReference<HttpHandler> reference) {
            Entry entry = new Entry(context, reference);
            replace(null, entry);
            return entry;
        }

        @Override
        public void modifiedService(ServiceReference<HttpHandler> reference, Entry entry) {
            replace(entry, new Entry(context, reference));
        }

        @Override
        public void removedService(ServiceReference<HttpHandler> reference, Entry entry) {
            replace(entry, null);
        }
    }
}

package io.switchboard.whiteboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.switchboard.endpoint.PathTemplate;
import io.switchboard.endpoint.Route;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * What the whiteboard knows of one handler service, read from its properties alone. Immutable: a
 * change of properties makes a new entry for the same {@link ServiceBinding}.
 */
record HandlerEntry(ServiceBinding binding, long serviceId, int ranking, long bundleId, List<String> routes,
                    Filter target, List<String> subprotocols, boolean blocking, boolean adoptsLiveConnections,
                    String failure, Route route) {

    /** Best first: highest ranking, then lowest service id, as OSGi orders services. */
    static int compare(HandlerEntry a, HandlerEntry b) {
        int byRanking = Integer.compare(b.ranking, a.ranking);
        return byRanking != 0 ? byRanking : Long.compare(a.serviceId, b.serviceId);
    }

    static HandlerEntry read(ServiceBinding binding) {
        ServiceReference<?> reference = binding.reference();
        long serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
        Object rankingProperty = reference.getProperty(Constants.SERVICE_RANKING);
        int ranking = rankingProperty instanceof Integer value ? value : 0;
        List<String> routes = strings(reference.getProperty(WhiteboardConstants.ROUTE));
        String failure = null;
        if (routes.isEmpty()) {
            failure = "no " + WhiteboardConstants.ROUTE + " property";
        }
        for (String route : routes) {
            try {
                PathTemplate.parse(route);
            } catch (IllegalArgumentException e) {
                failure = "invalid route: " + e.getMessage();
            }
        }
        Filter target = null;
        Object targetProperty = reference.getProperty(WhiteboardConstants.ENDPOINT_TARGET);
        if (targetProperty != null) {
            try {
                target = FrameworkUtil.createFilter(String.valueOf(targetProperty));
            } catch (InvalidSyntaxException e) {
                failure = "invalid " + WhiteboardConstants.ENDPOINT_TARGET + ": " + e.getMessage();
            }
        }
        HandlerEntry entry = new HandlerEntry(binding, serviceId, ranking, reference.getBundle().getBundleId(),
                routes, target, strings(reference.getProperty(WhiteboardConstants.SUBPROTOCOLS)),
                flag(reference.getProperty(WhiteboardConstants.BLOCKING)),
                flag(reference.getProperty(WhiteboardConstants.ADOPT_LIVE_CONNECTIONS)),
                failure, Route.to(binding));
        binding.update(entry);
        return entry;
    }

    boolean valid() {
        return failure == null;
    }

    /** Whether this handler serves the endpoint with these service properties. */
    boolean serves(Map<String, Object> endpointProperties) {
        return valid() && (target == null || target.matches(endpointProperties));
    }

    private static boolean flag(Object value) {
        return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
    }

    static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof String s) {
            strings.add(s);
        } else if (value instanceof String[] array) {
            strings.addAll(List.of(array));
        } else if (value instanceof Iterable<?> iterable) {
            iterable.forEach(element -> strings.add(String.valueOf(element)));
        }
        return List.copyOf(strings);
    }
}

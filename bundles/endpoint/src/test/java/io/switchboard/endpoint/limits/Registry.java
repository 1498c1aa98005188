package io.switchboard.endpoint.limits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.Router;
import io.switchboard.endpoint.WebSocketServer;

/**
 * What the OSGi whiteboard does with handler services, without OSGi, over one route: the best
 * binding (highest ranking, then first registered) takes new handshakes; a removal hands the
 * removed binding's connections to the best one left (looked up when each move applies); a
 * binding that opts in adopts the live connections when it becomes the best; connections that
 * wait for a handler get the best one as soon as there is one. Changes are made one at a time,
 * as the framework's service events are.
 */
final class Registry implements Router {
    private final String path;
    private final List<ProbeBinding> registered = new ArrayList<>();
    private volatile ProbeBinding best;
    private WebSocketServer server;

    Registry(String path) {
        this.path = path;
    }

    /** The server to tell of changes; before the first one. */
    void serve(WebSocketServer server) {
        this.server = server;
    }

    @Override
    public Route route(String requested) {
        ProbeBinding current = best;
        if (!requested.equals(path)) {
            return Route.NOT_FOUND;
        }
        return current == null ? Route.UNAVAILABLE : Route.to(current);
    }

    synchronized void register(ProbeBinding binding) {
        ProbeBinding before = best;
        registered.add(binding);
        changed();
        if (best != before && best.adopts) {
            server.adopt(path, best, true);
            if (before != null) {
                before.displaced(true);
            }
        } else if (best != null) {
            server.adopt(path, best, false);
        }
    }

    /** Removes {@code binding} as the framework unregisters a service: returns once the whiteboard has let it go. */
    synchronized void unregister(ProbeBinding binding) {
        if (!registered.remove(binding)) {
            return;
        }
        changed();
        server.handOff(binding, requested -> requested.equals(path) ? best : null);
        binding.removed();
        if (best != null) {
            server.adopt(path, best, false);
        }
    }

    synchronized Set<ProbeBinding> registered() {
        return Set.copyOf(registered);
    }

    ProbeBinding best() {
        return best;
    }

    private void changed() {
        best = registered.stream()
                .min(Comparator.comparingInt((ProbeBinding b) -> -b.ranking).thenComparingInt(registered::indexOf))
                .orElse(null);
        if (best != null) {
            best.displaced(false); // the best again: its connections may come back to it
        }
    }
}

package io.switchboard.endpoint.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser origins may open connections: the defence against cross-site WebSocket
 * hijacking, where a page from another site uses the visitor's cookies to connect.
 *
 * <p>Admitted: requests without {@code Origin} (non-browser clients, which can send any header
 * they like anyway), requests whose origin is the server's own (the {@code Origin}'s host and port
 * are those of the {@code Host} header, its scheme http for ws and https for wss), and origins
 * on the allow-list ({@code *} admits all).
 * Everything else, including the opaque origin {@code null}, is refused with 403.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed serialized origins such as {@code https://example.com}, or {@code *} */
    OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList());
    }

    boolean admits(List<String> origins, Optional<String> host, boolean secure) {
        if (origins.isEmpty()) {
            return true;
        }
        if (origins.size() > 1) {
            return false; // RFC 6454 §7.2: one Origin field, no more
        }
        String origin = origins.get(0).trim().toLowerCase(Locale.ROOT);
        return allowed.contains("*") || allowed.contains(origin) || isSameOrigin(origin, host, secure ? "https" : "http");
    }

    private static boolean isSameOrigin(String origin, Optional<String> host, String scheme) {
        if (host.isEmpty()) {
            return false;
        }
        try {
            URI originUri = new URI(origin);
            URI hostUri = new URI("//" + host.get().trim().toLowerCase(Locale.ROOT));
            if (originUri.getHost() == null || hostUri.getHost() == null) {
                return false;
            }
            if (!scheme.equals(originUri.getScheme())) {
                return false;
            }
            int defaultPort = scheme.equals("https") ? 443 : 80;
            int originPort = originUri.getPort() < 0 ? defaultPort : originUri.getPort();
            int hostPort = hostUri.getPort() < 0 ? defaultPort : hostUri.getPort();
            return originUri.getHost().equals(hostUri.getHost()) && originPort == hostPort;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}

package io.switchboard.endpoint.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.switchboard.api.Request;
import io.switchboard.handshake.HttpRequest;

/** The api's read-only {@link Request} over a parsed request head. Immutable. */
final class RequestView implements Request {
    private final HttpRequest request;
    /**
     * Made on first use: a URI is a dozen strings, and most connections never ask for it. The
     * target was checked to be a valid URI when this view was made. Racy but safe: a URI is
     * immutable and any thread that finds none makes an equal one.
     */
    private volatile URI uri;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final boolean secure;
    /** Set by routing on the loop, before any handler sees the request. */
    private Map<String, String> pathParameters = Map.of();

    /**
     * @throws IllegalArgumentException if the target is not a valid URI (the caller answers 400)
     */
    RequestView(HttpRequest request, InetSocketAddress remote, InetSocketAddress local, boolean secure) {
        this.request = request;
        if (!isPlainOriginForm(request.target())) {
            URI.create(request.target()); // checks the target now; the URI is made again when asked for
        }
        this.remote = remote;
        this.local = local;
        this.secure = secure;
    }

    /**
     * Whether the target is in origin form, not "//" (which a URI reads as an authority), and made
     * only of characters that RFC 3986 allows in a path and a query unescaped: such a target is a
     * valid URI without parsing one, which a storm of handshakes would otherwise do for each.
     */
    static boolean isPlainOriginForm(String target) {
        if (!target.startsWith("/") || target.startsWith("//")) {
            return false;
        }
        for (int i = 1; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public URI uri() {
        URI made = uri;
        if (made == null) {
            made = URI.create(request.target());
            uri = made;
        }
        return made;
    }

    /**
     * The target's path, decoded. Routing and every hot swap ask for it, once per connection:
     * a target in origin form without escapes and not starting with "//" (the constructor checked
     * that it is a valid URI) is its path up to the query as it stands, with no URI to parse; any
     * other is parsed.
     */
    @Override
    public String path() {
        URI made = uri;
        if (made != null) {
            return made.getPath();
        }
        String target = request.target();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        boolean plain = path.startsWith("/") && !path.startsWith("//") && path.indexOf('%') < 0; // ("//x" is an authority to URI)
        return plain ? path : URI.create(target).getPath();
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    void pathParameters(Map<String, String> values) {
        pathParameters = values;
    }

    @Override
    public List<String> headers(String name) {
        return request.headers(name);
    }

    @Override
    public Set<String> headerNames() {
        return request.headerNames();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public String toString() {
        return request.method() + " " + request.target() + " from " + remote;
    }
}

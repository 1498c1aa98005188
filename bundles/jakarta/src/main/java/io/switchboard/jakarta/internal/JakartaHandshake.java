package io.switchboard.jakarta.internal;

import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.switchboard.api.Handshake;
import io.switchboard.api.Request;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;

/**
 * The opening request and the answer's headers as a configurator's {@code modifyHandshake} sees
 * them, over the engine's {@link Handshake}. Used on the thread of {@code validate} only.
 */
final class JakartaHandshake implements HandshakeRequest {
    private final Request request;
    private final Map<String, List<String>> requestHeaders;
    private final Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    JakartaHandshake(Request request) {
        this.request = request;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : request.headerNames()) {
            headers.put(name, request.headers(name));
        }
        this.requestHeaders = Collections.unmodifiableMap(headers);
    }

    /** Adds the headers the configurator put in the answer to the engine's 101. */
    void answer(Handshake handshake) {
        responseHeaders.forEach((name, values) -> values.forEach(value -> handshake.addResponseHeader(name, value)));
    }

    /** The offered extensions, by name and parameters, parsed from the engine's strings. */
    static List<Extension> offeredExtensions(Handshake handshake) {
        List<Extension> offers = new ArrayList<>();
        for (String field : handshake.offeredExtensions()) {
            for (String offer : field.split(",")) {
                String[] parts = offer.split(";");
                List<Extension.Parameter> parameters = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    String[] pair = parts[i].split("=", 2);
                    String name = pair[0].trim();
                    String value = pair.length > 1 ? pair[1].trim() : "";
                    parameters.add(new Extension.Parameter() {
                        @Override
                        public String getName() {
                            return name;
                        }

                        @Override
                        public String getValue() {
                            return value;
                        }
                    });
                }
                if (!parts[0].isBlank()) {
                    offers.add(new JakartaSession.NamedExtension(parts[0].trim(), List.copyOf(parameters)));
                }
            }
        }
        return offers;
    }

    // ---- HandshakeRequest

    @Override
    public Map<String, List<String>> getHeaders() {
        return requestHeaders;
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    @Override
    public URI getRequestURI() {
        return request.uri();
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    /** There is no servlet container, hence no HTTP session. */
    @Override
    public Object getHttpSession() {
        return null;
    }

    @Override
    public Map<String, List<String>> getParameterMap() {
        return JakartaSession.parameters(request.uri().getRawQuery());
    }

    @Override
    public String getQueryString() {
        return request.uri().getRawQuery();
    }

    /** The answer, whose headers the configurator may change; the request's are {@link #getHeaders()}. */
    HandshakeResponse response() {
        return () -> responseHeaders;
    }
}

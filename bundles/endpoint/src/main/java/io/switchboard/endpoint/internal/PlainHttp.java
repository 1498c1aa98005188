package io.switchboard.endpoint.internal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;

import io.switchboard.api.HttpHandler;
import io.switchboard.api.HttpResponse;
import io.switchboard.handshake.HttpResponses;

/**
 * The answer to a plain HTTP request, one without {@code Upgrade}: the endpoint's HTTP handler's
 * response if it has one for the request, else 426 on a WebSocket route (telling the client how
 * to use it) and 404 elsewhere; 500 if the handler fails.
 */
final class PlainHttp {
    private static final System.Logger LOG = System.getLogger(PlainHttp.class.getName());

    private PlainHttp() {
    }

    static ByteBuffer answer(Endpoint endpoint, RequestView request) {
        ByteBuffer response = response(endpoint, request);
        // RFC 9110 §9.3.2: HEAD gets the head GET would get, Content-Length included, no content.
        return "HEAD".equals(request.method()) ? headOnly(response) : response;
    }

    private static ByteBuffer response(Endpoint endpoint, RequestView request) {
        HttpHandler httpHandler = endpoint.httpHandler();
        try {
            HttpResponse response = httpHandler == null ? null : httpHandler.serve(request);
            if (response == null) {
                return endpoint.router().route(request.path()).binding() == null
                        ? HttpResponses.error(404, "Not Found", List.of())
                        : HttpResponses.error(426, "Upgrade Required", List.of(
                                new String[] {"Upgrade", "websocket"}, new String[] {"Sec-WebSocket-Version", "13"}));
            }
            return HttpResponses.response(response.status(), HttpResponses.reasonPhrase(response.status()),
                    response.headers(), response.body());
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "the HTTP handler failed or answered an invalid response for " + request, e);
            return HttpResponses.error(500, "Internal Server Error", List.of());
        }
    }

    /** The response up to and including the blank line that ends its head. */
    private static ByteBuffer headOnly(ByteBuffer response) {
        for (int i = response.position(); i + 3 < response.limit(); i++) {
            if (response.get(i) == '\r' && response.get(i + 1) == '\n'
                    && response.get(i + 2) == '\r' && response.get(i + 3) == '\n') {
                return response.limit(i + 4);
            }
        }
        return response;
    }
}

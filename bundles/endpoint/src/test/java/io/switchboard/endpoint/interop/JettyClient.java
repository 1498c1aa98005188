package io.switchboard.endpoint.interop;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import io.switchboard.testing.HandshakeRefusedException;

/** Jetty 12's WebSocket client, through the Jetty API ({@link org.eclipse.jetty.websocket.api.Session.Listener}). */
final class JettyClient implements ClientDriver {
    /** Above the server's 1 MiB default, so that the client never is the one to refuse a message. */
    private static final int CLIENT_LIMIT = 4 << 20;

    private final WebSocketClient client = new WebSocketClient();

    JettyClient() throws Exception {
        client.setMaxTextMessageSize(CLIENT_LIMIT);
        client.setMaxBinaryMessageSize(CLIENT_LIMIT);
        client.setMaxFrameSize(CLIENT_LIMIT);
        client.start();
    }

    void stop() throws Exception {
        client.stop();
    }

    @Override
    public ClientSession connect(URI uri, String... subprotocols) throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setSubProtocols(subprotocols);
        AtomicReference<HttpFields> responseHeaders = new AtomicReference<>(HttpFields.EMPTY);
        JettyUpgradeListener upgradeListener = new JettyUpgradeListener() {
            @Override
            public void onHandshakeResponse(org.eclipse.jetty.client.Request req, org.eclipse.jetty.client.Response response) {
                responseHeaders.set(response.getHeaders());
            }
        };
        JettySession session = new JettySession();
        try {
            client.connect(session, request, upgradeListener).get(Await.SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UpgradeException rejected && rejected.getResponseStatusCode() > 0) {
                    throw new HandshakeRefusedException(rejected.getResponseStatusCode(), toMap(responseHeaders.get()), e);
                }
            }
            throw e;
        }
        return session;
    }

    private static Map<String, List<String>> toMap(HttpFields fields) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            map.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return map;
    }
}

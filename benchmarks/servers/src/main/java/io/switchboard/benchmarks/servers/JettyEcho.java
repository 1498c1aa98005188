package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends every whole message back with its opcode. Auto-demanding: Jetty reads on as soon as a
 * listener method returns. The binary payload is Jetty's own buffer, valid until the callback
 * completes, so it goes back without a copy and the send completes the callback when written.
 *
 * <p>Public because Jetty binds the listener methods through method handles, which need access.
 */
public final class JettyEcho implements Session.Listener.AutoDemanding {
    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String text) {
        session.sendText(text, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        session.sendBinary(payload, callback);
    }
}

package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Jetty's fan-out as its API suggests: the open sessions in a concurrent set, and a loop that
 * sends each published message to every session. The publisher's buffer is Jetty's own and valid
 * only until its callback completes, so the message is copied once and every send gets a view of
 * the copy; Jetty frames it once per session.
 *
 * <p>Threading: Jetty calls the listeners on its pool's threads, several at a time; the set is
 * concurrent and Jetty's sends may be called from any thread.
 */
final class JettyFanOut {
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Subscribers subscribers;

    JettyFanOut(Subscribers subscribers) {
        this.subscribers = subscribers;
    }

    WebSocketCreator publisherCreator() {
        return (request, response, callback) -> new Publisher(this);
    }

    WebSocketCreator subscriberCreator() {
        return (request, response, callback) -> new Subscriber(this);
    }

    private void publish(ByteBuffer payload) {
        ByteBuffer message = ByteBuffer.allocateDirect(payload.remaining()).put(payload).flip();
        for (Session session : sessions) {
            session.sendBinary(message.slice(), Callback.NOOP);
        }
    }

    /** Public because Jetty binds the listener methods through method handles, which need access. */
    public static final class Publisher implements Session.Listener.AutoDemanding {
        private final JettyFanOut fanOut;

        Publisher(JettyFanOut fanOut) {
            this.fanOut = fanOut;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            fanOut.publish(payload);
            callback.succeed();
        }
    }

    /** Public for the same reason as {@link Publisher}. */
    public static final class Subscriber implements Session.Listener.AutoDemanding {
        private final JettyFanOut fanOut;
        private Session session;

        Subscriber(JettyFanOut fanOut) {
            this.fanOut = fanOut;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            fanOut.sessions.add(session);
            fanOut.subscribers.joined();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            if (fanOut.sessions.remove(session)) {
                fanOut.subscribers.left();
            }
        }
    }
}

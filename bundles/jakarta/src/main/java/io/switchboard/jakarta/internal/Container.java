package io.switchboard.jakarta.internal;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

/**
 * The container that sessions name as theirs: the defaults new sessions start from, and the one
 * timer thread that checks idle sessions, started when a session first sets an idle timeout.
 * It serves endpoints only: it connects to no server. Thread-safe (volatile settings; the
 * timer is created under the object's lock).
 */
public final class Container implements WebSocketContainer {
    /** The engine's own default message limit, so that neither limit surprises the other. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    private volatile long asyncSendTimeoutMillis;
    private volatile long maxSessionIdleMillis;
    private volatile int maxBinaryBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private volatile int maxTextBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private ScheduledExecutorService timer;
    private boolean closed;

    /** Runs {@code check} on the timer thread after {@code millis}; null once closed. */
    synchronized ScheduledFuture<?> schedule(Runnable check, long millis) {
        if (closed) {
            return null;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "switchboard-jakarta-idle");
                thread.setDaemon(true);
                return thread;
            });
        }
        return timer.schedule(check, millis, TimeUnit.MILLISECONDS);
    }

    /** Ends the timer thread; idle timeouts set afterwards are not enforced. */
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public long getDefaultAsyncSendTimeout() {
        return asyncSendTimeoutMillis;
    }

    @Override
    public void setAsyncSendTimeout(long millis) {
        asyncSendTimeoutMillis = millis;
    }

    @Override
    public long getDefaultMaxSessionIdleTimeout() {
        return maxSessionIdleMillis;
    }

    @Override
    public void setDefaultMaxSessionIdleTimeout(long millis) {
        maxSessionIdleMillis = millis;
    }

    @Override
    public int getDefaultMaxBinaryMessageBufferSize() {
        return maxBinaryBytes;
    }

    @Override
    public void setDefaultMaxBinaryMessageBufferSize(int bytes) {
        maxBinaryBytes = bytes;
    }

    @Override
    public int getDefaultMaxTextMessageBufferSize() {
        return maxTextBytes;
    }

    @Override
    public void setDefaultMaxTextMessageBufferSize(int bytes) {
        maxTextBytes = bytes;
    }

    /** None the application chooses: the engine negotiates permessage-deflate itself, by its settings. */
    @Override
    public Set<Extension> getInstalledExtensions() {
        return Set.of();
    }

    @Override
    public Session connectToServer(Object endpoint, URI path) throws DeploymentException {
        throw serverOnly();
    }

    @Override
    public Session connectToServer(Class<?> endpoint, URI path) throws DeploymentException {
        throw serverOnly();
    }

    @Override
    public Session connectToServer(Endpoint endpoint, ClientEndpointConfig config, URI path) throws DeploymentException {
        throw serverOnly();
    }

    @Override
    public Session connectToServer(Class<? extends Endpoint> endpoint, ClientEndpointConfig config, URI path)
            throws DeploymentException {
        throw serverOnly();
    }

    private static DeploymentException serverOnly() {
        return new DeploymentException("Switchboard's container serves endpoints; use a client container to connect");
    }
}

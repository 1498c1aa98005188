package io.switchboard.jakarta.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A Jakarta {@link Session} over one Switchboard {@link Connection}.
 *
 * <p><b>Threading.</b> Thread-safe, as the specification asks: the application may use a session
 * from any thread. Its state is either fixed at the handshake, volatile, or in concurrent maps;
 * the connection beneath is thread-safe.
 *
 * <p>The message size limits of a session are checked on each whole message the engine delivers
 * (a larger one closes the session with 1009); the engine's own limit, an endpoint setting, still
 * bounds what is read at all. A kind of message that a partial handler takes is received in parts
 * ({@link Connection#receiveInParts}), as they arrive, and neither limit applies to it: only the
 * engine's frame size does. The idle timeout counts from the last message in or out.
 */
final class JakartaSession implements Session {
    private final Deployment deployment;
    private final Connection connection;
    private final ServerEndpointConfig config;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> requestParameters;
    private final Coders.Instances coders;
    private final MessageHandlers handlers;
    private final Remotes remotes;
    private volatile int maxTextBytes;
    private volatile int maxBinaryBytes;
    private volatile long maxIdleMillis;
    private volatile long lastActiveNanos = System.nanoTime();
    private volatile ScheduledFuture<?> idleCheck;
    private boolean ended; // under this object's lock: the end is reported by disconnect and by release

    JakartaSession(Deployment deployment, Connection connection, ServerEndpointConfig config, Map<String, String> pathParameters) {
        this.deployment = deployment;
        this.connection = connection;
        this.config = config;
        this.pathParameters = pathParameters;
        this.requestParameters = parameters(connection.request().uri().getRawQuery());
        this.coders = deployment.coders().open(config);
        this.handlers = new MessageHandlers(deployment.coders(), coders);
        Container container = deployment.container();
        this.remotes = new Remotes(connection, this, coders, container.getDefaultAsyncSendTimeout());
        this.maxTextBytes = container.getDefaultMaxTextMessageBufferSize();
        this.maxBinaryBytes = container.getDefaultMaxBinaryMessageBufferSize();
        setMaxIdleTimeout(container.getDefaultMaxSessionIdleTimeout());
    }

    // ---- delivery, from the connection's callbacks

    /** Hands a text message to its handler; false if there is none. */
    boolean text(String message) throws Exception {
        active();
        int limit = maxTextBytes;
        // A UTF-16 unit takes one to three bytes in UTF-8: count the bytes only when the length cannot tell.
        if (message.length() > limit || (message.length() * 3L > limit && utf8Length(message) > limit)) {
            tooBig("text", limit);
            return true;
        }
        return handlers.text(message);
    }

    /** Hands a binary message to its handler; false if there is none. */
    boolean binary(java.nio.ByteBuffer message) throws Exception {
        active();
        if (message.remaining() > maxBinaryBytes) {
            tooBig("binary", maxBinaryBytes);
            return true;
        }
        return handlers.binary(message);
    }

    /** Hands a part of a text message to its partial handler. */
    void textPart(String part, boolean last) {
        active();
        handlers.textPart(part, last);
    }

    /** Hands a part of a binary message to its partial handler. */
    void binaryPart(java.nio.ByteBuffer part, boolean last) {
        active();
        handlers.binaryPart(part, last);
    }

    boolean pong(java.nio.ByteBuffer payload) {
        active();
        return handlers.pong(payload);
    }

    /** The session has ended: its coders and its idle check with it. */
    void ended() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
        coders.destroy();
    }

    /** Notes activity for the idle timeout; without a timeout, no clock read and no volatile write per message. */
    void active() {
        if (maxIdleMillis != 0) {
            lastActiveNanos = System.nanoTime();
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a pair is 4 bytes, 2 per unit
        }
        return bytes;
    }

    private void tooBig(String kind, int limit) {
        connection.close(CloseStatus.MESSAGE_TOO_BIG, "a " + kind + " message over " + limit + " bytes");
    }

    /** Sends what an {@code @OnMessage} method returned, without waiting for the write. */
    void sendReturned(Object result) throws Exception {
        remotes.sendObject(result);
    }

    // ---- the Session API

    @Override
    public WebSocketContainer getContainer() {
        return deployment.container();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        boolean partial = handler instanceof MessageHandler.Partial<?>;
        Class<?> type = GenericTypes.argument(handler.getClass(), partial ? MessageHandler.Partial.class : MessageHandler.Whole.class);
        if (type == null) {
            throw new IllegalStateException("the message type of " + handler
                    + " cannot be found from its class (a lambda?): use addMessageHandler(Class, handler)");
        }
        handlers.add(handler, type, partial);
        handlersChanged();
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Whole<T> handler) {
        handlers.add(handler, type, false);
        handlersChanged();
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Partial<T> handler) {
        handlers.add(handler, type, true);
        handlersChanged();
    }

    /** The engine hands over in parts the kinds a partial handler takes, from the next message on. */
    private void handlersChanged() {
        connection.receiveInParts(handlers.textInParts(), handlers.binaryInParts());
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        return handlers.all();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        handlers.remove(handler);
        handlersChanged();
    }

    @Override
    public String getProtocolVersion() {
        return "13";
    }

    @Override
    public String getNegotiatedSubprotocol() {
        return connection.subprotocol();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        List<Extension> in = new ArrayList<>();
        for (String name : connection.extensions()) {
            in.add(new NamedExtension(name, List.of()));
        }
        return List.copyOf(in);
    }

    @Override
    public boolean isSecure() {
        return connection.request().secure();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public long getMaxIdleTimeout() {
        return maxIdleMillis;
    }

    @Override
    public void setMaxIdleTimeout(long millis) {
        maxIdleMillis = Math.max(0, millis);
        lastActiveNanos = System.nanoTime(); // the time counts from here: activity before was not noted
        ScheduledFuture<?> previous = idleCheck;
        if (previous != null) {
            previous.cancel(false);
        }
        idleCheck = maxIdleMillis == 0 ? null : deployment.container().schedule(this::checkIdle, maxIdleMillis);
    }

    /** Closes an idle session, or looks again when it could have become idle. */
    private void checkIdle() {
        long limit = maxIdleMillis;
        if (limit == 0 || !connection.isOpen()) {
            return;
        }
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActiveNanos);
        if (idle >= limit) {
            connection.close(CloseStatus.GOING_AWAY, "idle for " + limit + " ms");
        } else {
            idleCheck = deployment.container().schedule(this::checkIdle, limit - idle);
        }
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int bytes) {
        maxBinaryBytes = bytes;
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return maxBinaryBytes;
    }

    @Override
    public void setMaxTextMessageBufferSize(int bytes) {
        maxTextBytes = bytes;
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return maxTextBytes;
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return remotes.async();
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return remotes.basic();
    }

    @Override
    public String getId() {
        return Long.toString(connection.id());
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    /**
     * Closes with the reason's code and phrase.
     *
     * @throws IllegalArgumentException if the code may not be sent in a Close frame (1005, 1006,
     *     1015, or outside the ranges of RFC 6455 §7.4) or the phrase is over 123 bytes
     */
    @Override
    public void close(CloseReason reason) throws IOException {
        connection.close(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    @Override
    public URI getRequestURI() {
        return connection.request().uri();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        return requestParameters;
    }

    @Override
    public String getQueryString() {
        return connection.request().uri().getRawQuery();
    }

    @Override
    public Map<String, String> getPathParameters() {
        return pathParameters;
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return config.getUserProperties();
    }

    @Override
    public Principal getUserPrincipal() {
        return null; // no servlet container: nothing authenticates the request before the handshake
    }

    @Override
    public Set<Session> getOpenSessions() {
        return deployment.openSessions();
    }

    @Override
    public String toString() {
        return "Session " + getId() + " on " + deployment;
    }

    /** Decodes a query into its parameters, in order; a value without {@code =} is empty. */
    static Map<String, List<String>> parameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(parameters);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text; // a malformed escape stays as sent rather than failing the session
        }
    }

    /** An extension known by name, as the engine reports what it negotiated. */
    record NamedExtension(String getName, List<Parameter> getParameters) implements Extension {
    }
}

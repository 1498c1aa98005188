package io.switchboard.jakarta.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/**
 * An instance of an annotated endpoint class as the programmatic {@link Endpoint} the rest of
 * this bundle serves: {@code onOpen} registers a message handler per {@code @OnMessage} method,
 * then calls {@code @OnOpen}; a non-void {@code @OnMessage} result is sent back as
 * {@code sendObject} would send it, without waiting for the write.
 *
 * <p><b>Threading.</b> Called in the order of its connection's callbacks, one at a time; it keeps
 * no state of its own beyond the immutable model and the instance.
 */
final class AnnotatedEndpoint extends Endpoint {
    private final AnnotatedModel model;
    private final Object instance;

    AnnotatedEndpoint(AnnotatedModel model, Object instance) {
        this.model = model;
        this.instance = instance;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void onOpen(Session session, EndpointConfig config) {
        for (AnnotatedModel.MessageCallback message : model.messages()) {
            AnnotatedModel.Callback callback = message.callback();
            if (message.partial()) {
                session.addMessageHandler((Class) message.type(), (MessageHandler.Partial<Object>) (part, last) ->
                        returned(session, invoke(callback, session, config, part, last, null, null)));
            } else {
                session.addMessageHandler((Class) message.type(), (MessageHandler.Whole<Object>) whole ->
                        returned(session, invoke(callback, session, config, whole, true, null, null)));
            }
            if (message.maxMessageSize() >= 0) {
                int limit = (int) Math.min(Integer.MAX_VALUE, message.maxMessageSize());
                if (message.kind() == AnnotatedModel.Kind.BINARY) {
                    session.setMaxBinaryMessageBufferSize(limit);
                } else {
                    session.setMaxTextMessageBufferSize(limit);
                }
            }
        }
        if (model.open() != null) {
            invoke(model.open(), session, config, null, false, null, null);
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (model.close() != null) {
            invoke(model.close(), session, null, null, false, null, reason);
        }
    }

    /** Calls {@code @OnError} with the endpoint's own exception, or logs it if there is no such method. */
    @Override
    public void onError(Session session, Throwable thrown) {
        Throwable cause = thrown instanceof Thrown wrapped ? wrapped.getCause() : thrown;
        if (model.error() == null) {
            System.getLogger(AnnotatedEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                    instance.getClass().getName() + " has no @OnError method for this failure of " + session, cause);
            return;
        }
        invoke(model.error(), session, null, null, false, cause, null); // if this throws, the engine closes with 1011
    }

    private static void returned(Session session, Object result) {
        if (result != null) {
            try {
                ((JakartaSession) session).sendReturned(result);
            } catch (Exception e) {
                throw new Thrown(e);
            }
        }
    }

    /** Calls one annotated method with the arguments its parameters ask for. */
    private Object invoke(AnnotatedModel.Callback callback, Session session, EndpointConfig config, Object message,
            boolean last, Throwable error, CloseReason reason) {
        if (callback.messageOnly() != null) {
            try {
                return (Object) callback.messageOnly().invokeExact(instance, message);
            } catch (Throwable e) {
                throw new Thrown(e);
            }
        }
        AnnotatedModel.Source[] sources = callback.sources();
        Object[] arguments = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            arguments[i] = switch (sources[i]) {
                case SESSION -> session;
                case CONFIG -> config;
                case MESSAGE -> message;
                case LAST -> last;
                case THROWABLE -> error;
                case CLOSE_REASON -> reason;
                case PATH -> pathParameter(session, callback.pathNames()[i], callback.types()[i]);
            };
        }
        try {
            return (Object) callback.invoker().invokeExact(instance, arguments);
        } catch (Throwable e) { // the method's own exception, as Method.invoke's InvocationTargetException carried it
            throw new Thrown(e);
        }
    }

    private static Object pathParameter(Session session, String name, Class<?> type) {
        String value = session.getPathParameters().get(name);
        if (value == null) {
            return null; // not in the template: null, as the specification says (primitives refused at deployment)
        }
        try {
            return Conversions.fromText(value, type);
        } catch (IllegalArgumentException e) {
            throw new Thrown(new DecodeException(value, "the path parameter " + name + " is not a " + type.getSimpleName(), e));
        }
    }

    /** An exception of the endpoint's method, carried through the message handler interfaces to {@link #onError}. */
    static final class Thrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Thrown(Throwable cause) {
            super(cause);
        }
    }
}

package io.switchboard.jakarta.internal;

import java.io.InputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.switchboard.endpoint.PathTemplate;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * What an annotated endpoint class declares, checked as the specification asks (Jakarta
 * WebSocket 2.2 §4): at most one {@code @OnOpen}, {@code @OnClose} and {@code @OnError}, at most
 * one {@code @OnMessage} each for text, binary and pong messages, every method public and not
 * static, and only the parameters each annotation allows. A violation is a
 * {@link DeploymentException} that names the method and why. Immutable once built.
 */
final class AnnotatedModel {
    /** Where one argument of an annotated method comes from. */
    enum Source { SESSION, CONFIG, PATH, MESSAGE, LAST, THROWABLE, CLOSE_REASON }

    /** What an {@code @OnMessage} method takes. */
    enum Kind { TEXT, BINARY, PONG }

    /**
     * One annotated method and the source of each of its arguments. {@code invoker} calls it as
     * {@code (Object instance, Object[] arguments) -> Object}: a method handle made once, since
     * {@code Method.invoke} checks access on every call, and this runs for every message. A
     * method whose one parameter is the message has {@code messageOnly} too, as
     * {@code (Object instance, Object message) -> Object}: no argument array per message.
     */
    record Callback(Method method, MethodHandle invoker, MethodHandle messageOnly, Source[] sources, String[] pathNames,
            Class<?>[] types) {
    }

    private static final MethodType INVOKER = MethodType.methodType(Object.class, Object.class, Object[].class);
    private static final MethodType MESSAGE_ONLY = MethodType.methodType(Object.class, Object.class, Object.class);

    /** An {@code @OnMessage} method. */
    record MessageCallback(Callback callback, Kind kind, Class<?> type, boolean partial, long maxMessageSize) {
    }

    private final Class<?> type;
    private final ServerEndpoint annotation;
    private final Callback open;
    private final Callback close;
    private final Callback error;
    private final List<MessageCallback> messages;

    private AnnotatedModel(Class<?> type, ServerEndpoint annotation, Callback open, Callback close, Callback error,
            List<MessageCallback> messages) {
        this.type = type;
        this.annotation = annotation;
        this.open = open;
        this.close = close;
        this.error = error;
        this.messages = messages;
    }

    static AnnotatedModel of(Class<?> type) throws DeploymentException {
        if (!Modifier.isPublic(type.getModifiers()) || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new DeploymentException(type.getName() + " is not a public concrete class");
        }
        refuseHidden(type);
        Callback open = null;
        Callback close = null;
        Callback error = null;
        List<MessageCallback> messages = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(OnOpen.class)) {
                open = only(open, callback(method, OnOpen.class, false), OnOpen.class);
            }
            if (method.isAnnotationPresent(OnClose.class)) {
                close = only(close, callback(method, OnClose.class, false), OnClose.class);
            }
            if (method.isAnnotationPresent(OnError.class)) {
                error = only(error, callback(method, OnError.class, false), OnError.class);
            }
            if (method.isAnnotationPresent(OnMessage.class)) {
                messages.add(message(method));
            }
        }
        return new AnnotatedModel(type, type.getAnnotation(ServerEndpoint.class), open, close, error, List.copyOf(messages));
    }

    /**
     * The configuration that {@code @ServerEndpoint} declares.
     *
     * @throws DeploymentException if the class has no such annotation, or its configurator cannot be made
     */
    ServerEndpointConfig config() throws DeploymentException {
        if (annotation == null) {
            throw new DeploymentException(type.getName() + " has no @ServerEndpoint annotation");
        }
        Deployment.template(annotation.value()); // a bad path is a deployment error, before the API's builder throws its own
        ServerEndpointConfig.Builder builder = ServerEndpointConfig.Builder.create(type, annotation.value())
                .subprotocols(List.of(annotation.subprotocols()))
                .encoders(List.of(annotation.encoders()))
                .decoders(List.of(annotation.decoders()));
        Class<? extends ServerEndpointConfig.Configurator> configurator = annotation.configurator();
        if (configurator != ServerEndpointConfig.Configurator.class) {
            try {
                builder.configurator(configurator.getConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new DeploymentException("the configurator " + configurator.getName() + " of " + type.getName()
                        + " cannot be created: it needs a public constructor without parameters", e);
            }
        }
        return builder.build();
    }

    /** The checks that need the deployment's coders and path: message types, return types, path parameters. */
    void check(Coders coders, PathTemplate template) throws DeploymentException {
        for (Callback callback : new Callback[] {open, close, error}) {
            if (callback != null) {
                checkPath(callback, template);
            }
        }
        List<Kind> kinds = new ArrayList<>();
        for (MessageCallback message : messages) {
            if (message.kind == null && !coders.decodesAny(message.type)) {
                throw failure(message.callback.method, "takes messages as " + message.type.getName()
                        + ", which no decoder of the endpoint decodes");
            }
            Kind kind = kindOf(message, coders);
            if (kinds.contains(kind)) {
                MessageCallback other = messages.get(kinds.indexOf(kind));
                throw failure(message.callback.method, "is a second @OnMessage method for " + kind.name().toLowerCase()
                        + " messages, after " + other.callback.method.getName());
            }
            kinds.add(kind);
            checkPath(message.callback, template);
            Method method = message.callback.method;
            Class<?> returned = method.getReturnType();
            if (returned != void.class && !sendable(returned) && !coders.encodes(returned)) {
                throw failure(method, "returns " + returned.getName() + ", which no encoder of the endpoint encodes");
            }
        }
    }

    Callback open() {
        return open;
    }

    Callback close() {
        return close;
    }

    Callback error() {
        return error;
    }

    List<MessageCallback> messages() {
        return messages;
    }

    /** Message kind, now that the coders are known: decoded types take the kind of their decoder. */
    private static Kind kindOf(MessageCallback message, Coders coders) {
        if (message.kind != null) {
            return message.kind;
        }
        return coders.decodes(message.type, true) ? Kind.TEXT : Kind.BINARY;
    }

    private static MessageCallback message(Method method) throws DeploymentException {
        Callback callback = callback(method, OnMessage.class, true);
        Class<?> type = null;
        boolean partial = false;
        for (int i = 0; i < callback.sources.length; i++) {
            if (callback.sources[i] == Source.MESSAGE) {
                type = callback.types[i];
            } else if (callback.sources[i] == Source.LAST) {
                partial = true;
            }
        }
        if (type == null) {
            throw failure(method, "has no parameter for the message");
        }
        Kind kind;
        if (type == PongMessage.class) {
            kind = Kind.PONG;
        } else if (partial && type != String.class && type != ByteBuffer.class && type != byte[].class) {
            throw failure(method, "takes partial messages as " + type.getName() + ": only String, ByteBuffer and byte[] come in parts");
        } else if (builtInText(type)) {
            kind = Kind.TEXT;
        } else if (builtInBinary(type)) {
            kind = Kind.BINARY;
        } else {
            kind = null; // a decoded type: its decoder settles the kind, in check
        }
        return new MessageCallback(callback, kind, type, partial, method.getAnnotation(OnMessage.class).maxMessageSize());
    }

    /** Reads a method's parameters; the message parameter only where {@code message} allows it. */
    private static Callback callback(Method method, Class<? extends Annotation> annotation, boolean message)
            throws DeploymentException {
        if (Modifier.isStatic(method.getModifiers())) {
            throw failure(method, "is static: @" + annotation.getSimpleName() + " methods belong to the endpoint instance");
        }
        Parameter[] parameters = method.getParameters();
        Source[] sources = new Source[parameters.length];
        String[] pathNames = new String[parameters.length];
        Class<?>[] types = method.getParameterTypes();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            PathParam path = parameters[i].getAnnotation(PathParam.class);
            Class<?> type = types[i];
            if (path != null) {
                if (!Conversions.builtInText(type)) {
                    throw failure(method, "has @PathParam(\"" + path.value() + "\") of type " + type.getName()
                            + ": only String, primitives and their boxes");
                }
                sources[i] = Source.PATH;
                pathNames[i] = path.value();
            } else if (type == Session.class) {
                sources[i] = Source.SESSION;
            } else if (annotation == OnOpen.class && type == EndpointConfig.class) {
                sources[i] = Source.CONFIG;
            } else if (annotation == OnClose.class && type == CloseReason.class) {
                sources[i] = Source.CLOSE_REASON;
            } else if (annotation == OnError.class && type == Throwable.class) {
                sources[i] = Source.THROWABLE;
            } else if (message) {
                candidates.add(i);
            } else {
                throw failure(method, "has a parameter of type " + type.getName() + ", which @"
                        + annotation.getSimpleName() + " does not allow");
            }
        }
        if (annotation == OnError.class && count(sources, Source.THROWABLE) != 1) {
            throw failure(method, "needs exactly one Throwable parameter");
        }
        for (Source once : new Source[] {Source.SESSION, Source.CONFIG, Source.CLOSE_REASON}) {
            if (count(sources, once) > 1) {
                throw failure(method, "has more than one " + once.name().toLowerCase().replace('_', ' ') + " parameter");
            }
        }
        if (message) {
            messageSources(method, candidates, types, sources);
        }
        MethodHandle handle = handle(method);
        MethodHandle messageOnly = sources.length == 1 && sources[0] == Source.MESSAGE ? handle.asType(MESSAGE_ONLY) : null;
        return new Callback(method, handle.asSpreader(Object[].class, sources.length).asType(INVOKER), messageOnly, sources,
                pathNames, types);
    }

    /** A handle on the method; a method this bundle may not call is a deployment error, not a failure per call. */
    private static MethodHandle handle(Method method) throws DeploymentException {
        try {
            return MethodHandles.publicLookup().unreflect(method);
        } catch (IllegalAccessException e) {
            throw failure(method, "cannot be called from outside its class's package (" + e.getMessage() + ")");
        }
    }

    /** One message parameter, or a String, ByteBuffer or byte[] with a {@code boolean} last-part flag. */
    private static void messageSources(Method method, List<Integer> candidates, Class<?>[] types, Source[] sources)
            throws DeploymentException {
        if (candidates.size() == 1) {
            sources[candidates.get(0)] = Source.MESSAGE;
        } else if (candidates.size() == 2 && (types[candidates.get(0)] == boolean.class) != (types[candidates.get(1)] == boolean.class)) {
            int last = types[candidates.get(0)] == boolean.class ? candidates.get(0) : candidates.get(1);
            int part = last == candidates.get(0) ? candidates.get(1) : candidates.get(0);
            sources[last] = Source.LAST;
            sources[part] = Source.MESSAGE;
        } else {
            throw failure(method, candidates.isEmpty() ? "has no parameter for the message"
                    : "has " + candidates.size() + " parameters that could be the message; one is allowed (with a boolean for partial messages)");
        }
    }

    private static void checkPath(Callback callback, PathTemplate template) throws DeploymentException {
        for (int i = 0; i < callback.sources.length; i++) {
            if (callback.sources[i] == Source.PATH && callback.types[i].isPrimitive()
                    && !template.variables().contains(callback.pathNames[i])) {
                throw failure(callback.method, "has the primitive @PathParam(\"" + callback.pathNames[i]
                        + "\"), which the path " + template + " does not define, so it would have no value");
            }
        }
    }

    /** Annotated methods that are not public would be ignored silently: refuse them instead. */
    private static void refuseHidden(Class<?> type) throws DeploymentException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                boolean annotated = method.isAnnotationPresent(OnOpen.class) || method.isAnnotationPresent(OnClose.class)
                        || method.isAnnotationPresent(OnError.class) || method.isAnnotationPresent(OnMessage.class);
                if (annotated && !Modifier.isPublic(method.getModifiers())) {
                    throw failure(method, "is not public");
                }
            }
        }
    }

    private static Callback only(Callback first, Callback second, Class<? extends Annotation> annotation) throws DeploymentException {
        if (first != null) {
            throw failure(second.method, "is a second @" + annotation.getSimpleName() + " method, after " + first.method.getName());
        }
        return second;
    }

    private static int count(Source[] sources, Source wanted) {
        int n = 0;
        for (Source s : sources) {
            if (s == wanted) {
                n++;
            }
        }
        return n;
    }

    private static boolean builtInText(Class<?> type) {
        return type == Reader.class || Conversions.builtInText(type);
    }

    private static boolean builtInBinary(Class<?> type) {
        return type == ByteBuffer.class || type == byte[].class || type == InputStream.class;
    }

    private static boolean sendable(Class<?> type) {
        return Conversions.builtInText(type) || type == ByteBuffer.class || type == byte[].class;
    }

    private static DeploymentException failure(Method method, String why) {
        return new DeploymentException(method.getDeclaringClass().getName() + "." + method.getName() + " " + why);
    }
}

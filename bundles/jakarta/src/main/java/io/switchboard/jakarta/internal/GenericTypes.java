package io.switchboard.jakarta.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the class a generic interface is implemented for, such as {@code T} of a
 * {@code Decoder.Text<T>} or a {@code MessageHandler.Whole<T>}, through superclasses and
 * superinterfaces. Stateless.
 */
final class GenericTypes {
    private GenericTypes() {
    }

    /** The raw class bound to {@code target}'s first type parameter by {@code type}, or null if unknown. */
    static Class<?> argument(Class<?> type, Class<?> target) {
        return raw(find(type, target, new HashMap<>()));
    }

    private static Type find(Type type, Class<?> target, Map<TypeVariable<?>, Type> bound) {
        Class<?> raw = raw(type);
        if (raw == null) {
            return null;
        }
        if (type instanceof ParameterizedType parameterized) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < variables.length; i++) {
                bound.put(variables[i], resolve(arguments[i], bound));
            }
        }
        if (raw == target) {
            return type instanceof ParameterizedType p ? resolve(p.getActualTypeArguments()[0], bound) : null;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            Type found = find(parent, target, bound);
            if (found != null) {
                return found;
            }
        }
        return raw.getGenericSuperclass() == null ? null : find(raw.getGenericSuperclass(), target, bound);
    }

    private static Type resolve(Type type, Map<TypeVariable<?>, Type> bound) {
        return type instanceof TypeVariable<?> variable && bound.containsKey(variable) ? bound.get(variable) : type;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return null;
    }
}

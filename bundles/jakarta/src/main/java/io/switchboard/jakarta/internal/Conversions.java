package io.switchboard.jakarta.internal;

import java.util.Map;

/**
 * The specification's built-in conversions between text and Java's primitives and their boxes,
 * for text messages and path parameters. Stateless.
 */
final class Conversions {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class,
            char.class, Character.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);

    private Conversions() {
    }

    /** Whether {@code type} is a primitive or the box of one. */
    static boolean primitiveOrBox(Class<?> type) {
        return type.isPrimitive() || BOXES.containsValue(type);
    }

    /** Whether {@code type} is text a message can be given as without a decoder: String or a primitive or box. */
    static boolean builtInText(Class<?> type) {
        return type == String.class || primitiveOrBox(type);
    }

    /**
     * Converts text to {@code type} (String, a primitive or a box).
     *
     * @throws IllegalArgumentException if the text is not a value of that type
     */
    static Object fromText(String text, Class<?> type) {
        Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
        if (boxed == String.class) {
            return text;
        }
        if (boxed == Boolean.class) {
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException("not a boolean: " + text);
            }
            return Boolean.valueOf(text);
        }
        if (boxed == Character.class) {
            if (text.length() != 1) {
                throw new IllegalArgumentException("not one character: " + text);
            }
            return text.charAt(0);
        }
        if (boxed == Byte.class) {
            return Byte.valueOf(text);
        }
        if (boxed == Short.class) {
            return Short.valueOf(text);
        }
        if (boxed == Integer.class) {
            return Integer.valueOf(text);
        }
        if (boxed == Long.class) {
            return Long.valueOf(text);
        }
        if (boxed == Float.class) {
            return Float.valueOf(text);
        }
        if (boxed == Double.class) {
            return Double.valueOf(text);
        }
        throw new IllegalArgumentException("no conversion from text to " + type.getName());
    }
}

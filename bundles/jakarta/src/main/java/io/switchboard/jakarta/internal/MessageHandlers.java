package io.switchboard.jakarta.internal;

import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.websocket.DecodeException;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;

/**
 * The message handlers of one session: at most one for text, one for binary and one for pongs
 * (Jakarta WebSocket 2.2 §2.1.3), and the conversion of each arriving message to the type its
 * handler takes. Thread-safe: registration may happen on any thread, delivery happens in the
 * connection's callbacks, one at a time.
 *
 * <p>A {@code MessageHandler.Partial} receives the parts the engine hands over as they arrive
 * (the session asks for its kind in parts); every other handler receives whole messages, the
 * {@code Reader} and {@code InputStream} ones included.
 */
final class MessageHandlers {
    /** What a message is handed over as. */
    private enum Kind { TEXT, BINARY, PONG }

    /** A registered handler with what it takes. */
    private record Registration(MessageHandler handler, Class<?> type, boolean partial, Kind kind) {
    }

    /** Messages up to this size are copied by {@link #copy} word by word, larger ones in bulk. */
    private static final int WORDS_UP_TO = 1024;
    /** Eight bytes of a buffer, and of an array, in one order whatever the buffer's own {@code order()}. */
    private static final VarHandle BUFFER_WORDS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Coders.Instances coders;
    private final Coders deployed;
    private volatile Registration text;
    private volatile Registration binary;
    private volatile Registration pong;

    MessageHandlers(Coders deployed, Coders.Instances coders) {
        this.deployed = deployed;
        this.coders = coders;
    }

    /**
     * Adds a handler for messages of {@code type}.
     *
     * @throws IllegalStateException if there is a handler for that kind of message already, or
     *     the type is one no message can be delivered as
     */
    synchronized void add(MessageHandler handler, Class<?> type, boolean partial) {
        Kind kind = kindOf(type, partial);
        Registration registration = new Registration(handler, type, partial, kind);
        switch (kind) {
            case TEXT -> text = unlessTaken(text, registration);
            case BINARY -> binary = unlessTaken(binary, registration);
            case PONG -> pong = unlessTaken(pong, registration);
        }
    }

    synchronized void remove(MessageHandler handler) {
        if (text != null && text.handler == handler) {
            text = null;
        }
        if (binary != null && binary.handler == handler) {
            binary = null;
        }
        if (pong != null && pong.handler == handler) {
            pong = null;
        }
    }

    synchronized Set<MessageHandler> all() {
        Set<MessageHandler> all = new LinkedHashSet<>();
        for (Registration r : new Registration[] {text, binary, pong}) {
            if (r != null) {
                all.add(r.handler);
            }
        }
        return Set.copyOf(all);
    }

    /**
     * Delivers a text message; false if no handler takes text. Exceptions from the handler or a
     * decoder are thrown to the caller, which reports them to the endpoint's {@code onError}.
     */
    boolean text(String message) throws Exception {
        Registration r = text;
        if (r == null) {
            return false;
        }
        Object converted;
        if (r.type == String.class) {
            converted = message;
        } else if (r.type == Reader.class) {
            converted = Coders.reader(message);
        } else if (Conversions.primitiveOrBox(r.type)) {
            try {
                converted = Conversions.fromText(message, r.type);
            } catch (IllegalArgumentException e) {
                throw new DecodeException(message, "not a " + r.type.getSimpleName(), e);
            }
        } else {
            converted = coders.decodeText(message, r.type);
        }
        deliver(r, converted, true);
        return true;
    }

    /** Delivers a binary message as {@link #text} does; the buffer is the engine's, valid during this call. */
    boolean binary(ByteBuffer message) throws Exception {
        Registration r = binary;
        if (r == null) {
            return false;
        }
        Object converted;
        if (r.type == ByteBuffer.class) {
            converted = ByteBuffer.wrap(copy(message));
        } else if (r.type == byte[].class) {
            converted = copy(message);
        } else if (r.type == InputStream.class) {
            converted = Coders.stream(message);
        } else {
            converted = coders.decodeBinary(message, r.type);
        }
        deliver(r, converted, true);
        return true;
    }

    /** Whether the text handler, if any, takes partial messages: the engine then hands text over in parts. */
    boolean textInParts() {
        Registration r = text;
        return r != null && r.partial;
    }

    boolean binaryInParts() {
        Registration r = binary;
        return r != null && r.partial;
    }

    /**
     * Delivers a part of a text message to a partial handler. A part of a message that began
     * while a partial handler was registered, and that no partial handler takes any more (it was
     * replaced meanwhile), is dropped.
     */
    void textPart(String part, boolean last) {
        Registration r = text;
        if (r != null && r.partial) {
            deliver(r, part, last);
        }
    }

    /** Delivers a part of a binary message as {@link #textPart} does; the handler gets a copy it may keep. */
    void binaryPart(ByteBuffer part, boolean last) {
        Registration r = binary;
        if (r != null && r.partial) {
            byte[] copy = copy(part);
            deliver(r, r.type == byte[].class ? copy : ByteBuffer.wrap(copy), last);
        }
    }

    /** Delivers a pong; false if no handler takes pongs. */
    boolean pong(ByteBuffer payload) {
        Registration r = pong;
        if (r == null) {
            return false;
        }
        ByteBuffer data = ByteBuffer.wrap(copy(payload)).asReadOnlyBuffer();
        PongMessage message = () -> data.duplicate();
        deliver(r, message, true);
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    /** Hands a message, or a part of one ({@code last} false), to its handler: a whole handler gets only whole ones. */
    private static void deliver(Registration r, Object message, boolean last) {
        if (r.partial) {
            ((MessageHandler.Partial) r.handler).onMessage(message, last);
        } else {
            ((MessageHandler.Whole) r.handler).onMessage(message);
        }
    }

    private Kind kindOf(Class<?> type, boolean partial) {
        if (partial) {
            if (type == String.class) {
                return Kind.TEXT;
            }
            if (type == ByteBuffer.class || type == byte[].class) {
                return Kind.BINARY;
            }
            throw new IllegalStateException("partial messages come as String, ByteBuffer or byte[], not " + type.getName());
        }
        if (type == PongMessage.class) {
            return Kind.PONG;
        }
        if (type == Reader.class || Conversions.builtInText(type)) {
            return Kind.TEXT;
        }
        if (type == ByteBuffer.class || type == byte[].class || type == InputStream.class) {
            return Kind.BINARY;
        }
        if (deployed.decodes(type, true)) {
            return Kind.TEXT;
        }
        if (deployed.decodes(type, false)) {
            return Kind.BINARY;
        }
        throw new IllegalStateException("no decoder for messages of " + type.getName());
    }

    private static Registration unlessTaken(Registration current, Registration added) {
        if (current != null) {
            throw new IllegalStateException("a handler for " + added.kind.name().toLowerCase() + " messages is there already: "
                    + current.handler);
        }
        return added;
    }

    /**
     * A copy of the message that the endpoint may keep, read with absolute gets so that the
     * engine's buffer is neither moved nor duplicated. A small message is copied eight bytes at a
     * time: the buffer's bulk copy goes through {@code Unsafe.copyMemory}, whose fixed cost per
     * call, measured with 64-byte messages, was several times that of the word loop.
     */
    private static byte[] copy(ByteBuffer data) {
        int length = data.remaining();
        int from = data.position();
        byte[] copy = new byte[length];
        if (length > WORDS_UP_TO) {
            data.get(from, copy);
            return copy;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            ARRAY_WORDS.set(copy, i, (long) BUFFER_WORDS.get(data, from + i));
        }
        for (; i < length; i++) {
            copy[i] = data.get(from + i);
        }
        return copy;
    }
}

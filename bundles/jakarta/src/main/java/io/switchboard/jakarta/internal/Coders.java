package io.switchboard.jakarta.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

/**
 * The encoders and decoders of one endpoint: checked when it is deployed, instantiated for each
 * session (the specification gives every session its own, initialised with its configuration).
 * Immutable; an {@link Instances} belongs to one session and is used under its callbacks' order
 * or by its senders, and the coders themselves must be thread-safe if the application sends from
 * several threads at once, as the specification says.
 */
final class Coders {
    /** One coder class and the type it handles. */
    private record Coder(Class<?> type, Class<?> handles, boolean text) {
    }

    private final List<Coder> encoders;
    private final List<Coder> decoders;

    private Coders(List<Coder> encoders, List<Coder> decoders) {
        this.encoders = encoders;
        this.decoders = decoders;
    }

    static Coders of(EndpointConfig config) throws DeploymentException {
        List<Coder> encoders = new ArrayList<>();
        for (Class<? extends Encoder> type : config.getEncoders()) {
            encoders.add(coder(type, Encoder.Text.class, Encoder.TextStream.class, Encoder.Binary.class, Encoder.BinaryStream.class));
        }
        List<Coder> decoders = new ArrayList<>();
        for (Class<? extends Decoder> type : config.getDecoders()) {
            decoders.add(coder(type, Decoder.Text.class, Decoder.TextStream.class, Decoder.Binary.class, Decoder.BinaryStream.class));
        }
        return new Coders(List.copyOf(encoders), List.copyOf(decoders));
    }

    private static Coder coder(Class<?> type, Class<?>... kinds) throws DeploymentException {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new DeploymentException(type.getName() + " cannot be instantiated: it is abstract");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new DeploymentException(type.getName() + " has no public constructor without parameters");
        }
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i].isAssignableFrom(type)) {
                Class<?> handles = GenericTypes.argument(type, kinds[i]);
                if (handles == null) {
                    throw new DeploymentException(type.getName() + " does not name the type it handles (" + kinds[i].getName() + "<T>)");
                }
                return new Coder(type, handles, i < 2);
            }
        }
        throw new DeploymentException(type.getName() + " implements none of Text, TextStream, Binary, BinaryStream");
    }

    /** Whether a decoder turns text (or, if {@code !text}, binary) messages into {@code type}. */
    boolean decodes(Class<?> type, boolean text) {
        return decoders.stream().anyMatch(d -> d.text == text && type.isAssignableFrom(d.handles));
    }

    /** Whether messages of this type can be decoded from text or from binary. */
    boolean decodesAny(Class<?> type) {
        return decodes(type, true) || decodes(type, false);
    }

    /** Whether an encoder turns {@code type} into a message. */
    boolean encodes(Class<?> type) {
        return encoders.stream().anyMatch(e -> e.handles.isAssignableFrom(type));
    }

    /** New coder objects for one session, initialised with its configuration. */
    Instances open(EndpointConfig config) {
        return new Instances(config);
    }

    /** The coder objects of one session. */
    final class Instances {
        private final Object[] encoderObjects = new Object[encoders.size()];
        private final Object[] decoderObjects = new Object[decoders.size()];
        private final EndpointConfig config;

        private Instances(EndpointConfig config) {
            this.config = config;
        }

        /**
         * Decodes a text message to {@code type} with the first decoder for it that will.
         *
         * @throws DecodeException if no decoder will, or one fails
         */
        Object decodeText(String text, Class<?> type) throws DecodeException, IOException {
            for (int i = 0; i < decoders.size(); i++) {
                Coder coder = decoders.get(i);
                if (coder.text && type.isAssignableFrom(coder.handles)) {
                    Object decoder = instance(decoderObjects, i, coder);
                    if (decoder instanceof Decoder.Text<?> d && d.willDecode(text)) {
                        return d.decode(text);
                    } else if (decoder instanceof Decoder.TextStream<?> d) {
                        return d.decode(new StringReader(text));
                    }
                }
            }
            throw new DecodeException(text, "no decoder for " + type.getName() + " will decode this message");
        }

        /** Decodes a binary message as {@link #decodeText} does text. */
        Object decodeBinary(ByteBuffer data, Class<?> type) throws DecodeException, IOException {
            for (int i = 0; i < decoders.size(); i++) {
                Coder coder = decoders.get(i);
                if (!coder.text && type.isAssignableFrom(coder.handles)) {
                    Object decoder = instance(decoderObjects, i, coder);
                    if (decoder instanceof Decoder.Binary<?> d && d.willDecode(data.duplicate())) {
                        return d.decode(data.duplicate());
                    } else if (decoder instanceof Decoder.BinaryStream<?> d) {
                        byte[] bytes = new byte[data.remaining()];
                        data.duplicate().get(bytes);
                        return d.decode(new ByteArrayInputStream(bytes));
                    }
                }
            }
            throw new DecodeException(data.duplicate(), "no decoder for " + type.getName() + " will decode this message");
        }

        /**
         * Encodes {@code object} with the first encoder for its class: a String for text, a
         * ByteBuffer for binary.
         *
         * @throws EncodeException if there is none, or it fails
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object encode(Object object) throws EncodeException, IOException {
            for (int i = 0; i < encoders.size(); i++) {
                Coder coder = encoders.get(i);
                if (coder.handles.isInstance(object)) {
                    Object encoder = instance(encoderObjects, i, coder);
                    if (encoder instanceof Encoder.Text e) {
                        return e.encode(object);
                    } else if (encoder instanceof Encoder.TextStream e) {
                        StringWriter writer = new StringWriter();
                        e.encode(object, writer);
                        return writer.toString();
                    } else if (encoder instanceof Encoder.Binary e) {
                        return e.encode(object);
                    } else {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ((Encoder.BinaryStream) encoder).encode(object, out);
                        return ByteBuffer.wrap(out.toByteArray());
                    }
                }
            }
            throw new EncodeException(object, "no encoder for " + object.getClass().getName());
        }

        /** Ends the coders that were used: their {@code destroy}. */
        void destroy() {
            for (Object coder : encoderObjects) {
                if (coder != null) {
                    ((Encoder) coder).destroy();
                }
            }
            for (Object coder : decoderObjects) {
                if (coder != null) {
                    ((Decoder) coder).destroy();
                }
            }
        }

        /** Coders are made when first needed, so a session that never uses one costs nothing. */
        private synchronized Object instance(Object[] made, int index, Coder coder) throws IOException {
            if (made[index] == null) {
                try {
                    Object created = coder.type.getConstructor().newInstance();
                    if (created instanceof Encoder e) {
                        e.init(config);
                    } else {
                        ((Decoder) created).init(config);
                    }
                    made[index] = created;
                } catch (ReflectiveOperationException e) {
                    throw new IOException("cannot create " + coder.type.getName(), e);
                }
            }
            return made[index];
        }
    }

    /** A text message's content as the Reader an endpoint asked for. */
    static Reader reader(String text) {
        return new StringReader(text);
    }

    /** A binary message's content as the InputStream an endpoint asked for. */
    static InputStream stream(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return new ByteArrayInputStream(bytes);
    }
}

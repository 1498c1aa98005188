package io.switchboard.cluster.redis.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A relayed message as it travels through Redis: the topic is the channel, and the payload is
 * <pre>
 * byte 0      format version, 1
 * byte 1      'T' for a text message, 'B' for a binary one
 * bytes 2-17  the sending node's id (a random UUID, most significant half first)
 * bytes 18-   the message: UTF-8 text or the binary bytes, as they were sent
 * </pre>
 * The node id lets a node skip its own messages, which it has delivered already. Stateless.
 */
public record Envelope(UUID node, boolean text, byte[] body) {
    static final byte VERSION = 1;
    static final byte TEXT = 'T';
    static final byte BINARY = 'B';
    static final int HEADER = 18;

    /** @throws IllegalArgumentException if the text contains an unpaired surrogate, as a group's send does */
    public static byte[] text(UUID node, String text) {
        try {
            return wrap(node, TEXT, StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text)));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the text contains an unpaired surrogate", e);
        }
    }

    /** The buffer's remaining bytes; its position is left as it was. */
    public static byte[] binary(UUID node, ByteBuffer data) {
        return wrap(node, BINARY, data.duplicate());
    }

    private static byte[] wrap(UUID node, byte kind, ByteBuffer body) {
        ByteBuffer envelope = ByteBuffer.allocate(HEADER + body.remaining());
        envelope.put(VERSION).put(kind)
                .putLong(node.getMostSignificantBits()).putLong(node.getLeastSignificantBits())
                .put(body);
        return envelope.array();
    }

    /** The envelope in these bytes, or null if they are not one (another format, another version). */
    public static Envelope read(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != VERSION || (bytes[1] != TEXT && bytes[1] != BINARY)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(2);
        UUID node = new UUID(in.getLong(), in.getLong());
        byte[] body = new byte[in.remaining()];
        in.get(body);
        return new Envelope(node, bytes[1] == TEXT, body);
    }

    /** The text of a text envelope, or null if it is not valid UTF-8 (a peer must never send that). */
    public String textOrNull() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

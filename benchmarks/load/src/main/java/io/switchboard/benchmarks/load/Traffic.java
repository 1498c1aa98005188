package io.switchboard.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * The messages every connection sends, encoded once: {@code inFlight} identical masked frames back
 * to back in one read-only buffer that connections share through their own duplicates.
 *
 * <p>One mask key serves all frames. Servers unmask every frame whatever the key, so their work is
 * the same as with a fresh key per frame, and the client does no masking per message.
 */
final class Traffic {
    /** The payload the server must echo (uncompressed). */
    final byte[] payload;
    final int opcode;
    final boolean compressed;
    final int frameLength;
    final int maskKey;
    private final ByteBuffer frames;

    Traffic(Options options, int maskKey) {
        this.payload = options.text || options.deflate ? Payloads.text(options.size) : Payloads.binary(options.size);
        this.opcode = options.text ? ClientFrames.OPCODE_TEXT : ClientFrames.OPCODE_BINARY;
        this.compressed = options.deflate;
        this.maskKey = maskKey;
        byte[] wirePayload = compressed ? Payloads.deflate(payload) : payload;
        byte[] frame = ClientFrames.frame(opcode, compressed, maskKey, wirePayload);
        this.frameLength = frame.length;
        this.frames = ClientFrames.repeated(frame, options.echoingInFlight());
    }

    /** This connection's view of the prepared frames; it starts empty (limit 0). */
    ByteBuffer framesView() {
        ByteBuffer view = frames.duplicate();
        view.limit(0);
        return view;
    }

    /** A masked control frame, for the rare pong and the final close. */
    byte[] controlFrame(int opcode, byte[] payload, int length) {
        ByteBuffer out = ByteBuffer.allocate(ClientFrames.headerLength(length) + length);
        ClientFrames.encode(out, opcode, false, maskKey, payload, 0, length);
        return out.array();
    }
}

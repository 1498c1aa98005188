package io.switchboard.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * The messages every connection sends, encoded once: a ring of {@code inFlight} masked frames
 * ("slots"), message n being the frame of slot n mod slots, in one read-only buffer that
 * connections share through their own duplicates. The ring is laid out twice, so that any run of
 * up to {@code inFlight} consecutive messages is one contiguous range of the buffer: one write.
 * The frames are identical, except in S7, where each slot's message starts with its slot number,
 * so that an echo out of order or repeated shows.
 *
 * <p>One mask key serves all frames. Servers unmask every frame whatever the key, so their work is
 * the same as with a fresh key per frame, and the client does no masking per message.
 */
final class Traffic {
    /** The payload the server must echo (uncompressed); in S7, slot 0's. */
    final byte[] payload;
    final int opcode;
    final boolean compressed;
    final int frameLength;
    final int maskKey;
    /** The frames in the ring: messages a connection may have sent and not yet seen echoed. */
    final int slots;
    private final byte[][] slotPayloads;
    private final ByteBuffer frames;

    Traffic(Options options, int maskKey) {
        this.payload = options.text || options.deflate ? Payloads.text(options.size) : Payloads.binary(options.size);
        this.opcode = options.text ? ClientFrames.OPCODE_TEXT : ClientFrames.OPCODE_BINARY;
        this.compressed = options.deflate;
        this.maskKey = maskKey;
        this.slots = options.echoingInFlight();
        this.slotPayloads = new byte[slots][];
        byte[][] slotFrames = new byte[slots][];
        for (int slot = 0; slot < slots; slot++) {
            slotPayloads[slot] = options.scenario == Scenario.S7 ? Payloads.numbered(payload, slot) : payload;
            byte[] wirePayload = compressed ? Payloads.deflate(slotPayloads[slot]) : slotPayloads[slot];
            slotFrames[slot] = ClientFrames.frame(opcode, compressed, maskKey, wirePayload);
        }
        this.frameLength = slotFrames[0].length;
        this.frames = ClientFrames.ringTwice(slotFrames);
    }

    /** The payload of the message in {@code slot}, which its echo must equal. */
    byte[] payload(int slot) {
        return slotPayloads[slot];
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

package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Drives a {@link MessageDecoder} the way a connection does, and records what comes out as text. */
final class Feed {
    private Feed() {
    }

    /** Feeds each piece as one read and returns every message and control frame decoded. */
    static List<String> decode(MessageDecoder decoder, List<byte[]> reads) throws ProtocolViolation {
        List<String> events = new ArrayList<>();
        for (byte[] read : reads) {
            ByteBuffer in = ByteBuffer.wrap(read.clone());
            for (int opcode; (opcode = decoder.decode(in)) != MessageDecoder.NEED_MORE; ) {
                events.add(describe(opcode, decoder));
            }
            if (in.hasRemaining()) {
                throw new AssertionError("decoder returned NEED_MORE with " + in.remaining() + " bytes left");
            }
        }
        return events;
    }

    static List<String> decode(MessageDecoder decoder, byte[]... reads) throws ProtocolViolation {
        return decode(decoder, List.of(reads));
    }

    /** The bytes cut at the given offsets, as separate reads. */
    static List<byte[]> split(byte[] bytes, int... cuts) {
        List<byte[]> reads = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            reads.add(java.util.Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        reads.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return reads;
    }

    static String describe(int opcode, MessageDecoder decoder) {
        ByteBuffer payload = decoder.payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return switch (opcode) {
            case Opcode.TEXT -> "text:" + new String(bytes, StandardCharsets.UTF_8);
            case Opcode.BINARY -> "binary:" + HexFormat.of().formatHex(bytes);
            case Opcode.PING -> "ping:" + HexFormat.of().formatHex(bytes);
            case Opcode.PONG -> "pong:" + HexFormat.of().formatHex(bytes);
            case Opcode.CLOSE -> "close:" + decoder.closeCode() + ":" + new String(bytes, StandardCharsets.UTF_8);
            default -> throw new AssertionError("unexpected opcode " + opcode);
        };
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** One client (masked) frame. */
    static byte[] clientFrame(boolean fin, int opcode, byte[] payload, int maskKey) {
        return frame(fin, false, opcode, payload, true, maskKey);
    }

    static byte[] frame(boolean fin, boolean rsv1, int opcode, byte[] payload, boolean masked, int maskKey) {
        ByteBuffer out = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.length);
        FrameWriter.writeFrame(out, fin, rsv1, opcode, ByteBuffer.wrap(payload), masked, maskKey);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

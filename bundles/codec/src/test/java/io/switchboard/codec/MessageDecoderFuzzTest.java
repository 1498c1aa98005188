package io.switchboard.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for {@link MessageDecoder}. Without {@code JAZZER_FUZZ} (every build) each target
 * runs once per file in {@code src/test/resources/io/switchboard/codec/MessageDecoderFuzzTestInputs/<method>/};
 * the {@code fuzz} profile fuzzes them for real.
 *
 * <p>The invariants, for any bytes a peer may send: only {@link ProtocolViolation} escapes, with a
 * close code of 1002, 1007 or 1009 and a reason that fits a close frame; no message is larger
 * than the limit and no control payload larger than 125 bytes; text messages and close reasons
 * are UTF-8 as the JDK's strict decoder reads it; every event consumes bytes, so decoding
 * terminates; and how the bytes are cut into reads changes nothing.
 *
 * <p>Inputs of {@link #serverWithoutExtensions} and {@link #serverWithDeflate} are the bytes a
 * client sends. Inputs of {@link #splitReadsDecodeAlike} start with a flags byte (bit 0: client
 * role, bit 1: permessage-deflate, bits 2 and 3: no-context-takeover for the server and the
 * client), then a count byte n (taken modulo 8) and n big-endian 16-bit cut offsets; the rest is
 * the wire. Inputs of {@link #inflatesLikeTheJdk} start with a count byte n (taken modulo 8) and n
 * cut offsets like those; the rest is the compressed payload of one binary message, sent in n + 1
 * frames, whose decoding must match the JDK's {@link Inflater} (bytes, 1007 or 1009).
 */
class MessageDecoderFuzzTest {
    /** Small limits, so that the fuzzer reaches every limit with short inputs. */
    static final DecoderLimits PLAIN_LIMITS = new DecoderLimits(1024, 4096, 8);
    /** 64 KiB messages: a decompression bomb is refused after 64 KiB of inflating, which is cheap. */
    static final DecoderLimits DEFLATE_LIMITS = DecoderLimits.ofMessageSize(64 * 1024, 64);

    private static final Set<Integer> CLOSE_CODES = Set.of(1002, 1007, 1009);
    private static final int MAX_SPLITS = 8;

    @FuzzTest(maxDuration = "2m")
    void serverWithoutExtensions(byte[] wire) {
        decodeAll(new MessageDecoder(Role.SERVER, PLAIN_LIMITS, null), PLAIN_LIMITS, List.of(wire));
    }

    @FuzzTest(maxDuration = "2m")
    void serverWithDeflate(byte[] wire) {
        decodeAll(new MessageDecoder(Role.SERVER, DEFLATE_LIMITS, new PerMessageDeflate(false, false)),
                DEFLATE_LIMITS, List.of(wire));
    }

    @FuzzTest(maxDuration = "2m")
    void splitReadsDecodeAlike(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int flags = input[0];
        Role role = (flags & 1) == 0 ? Role.SERVER : Role.CLIENT;
        PerMessageDeflate deflate = (flags & 2) == 0 ? null
                : new PerMessageDeflate((flags & 4) != 0, (flags & 8) != 0);
        DecoderLimits limits = deflate == null ? PLAIN_LIMITS : DEFLATE_LIMITS;
        int splits = (input[1] & 0xFF) % MAX_SPLITS;
        int header = 2 + 2 * splits;
        if (input.length < header) {
            return;
        }
        byte[] wire = Arrays.copyOfRange(input, header, input.length);
        int[] cuts = new int[splits];
        for (int i = 0; i < splits; i++) {
            int offset = (input[2 + 2 * i] & 0xFF) << 8 | (input[3 + 2 * i] & 0xFF);
            cuts[i] = wire.length == 0 ? 0 : offset % (wire.length + 1);
        }
        Arrays.sort(cuts);

        Outcome whole = decodeAll(new MessageDecoder(role, limits, deflate), limits, List.of(wire));
        Outcome split = decodeAll(new MessageDecoder(role, limits, deflate), limits, cut(wire, cuts));
        if (!whole.equals(split)) {
            throw new AssertionError("reads cut at " + Arrays.toString(cuts) + " decode differently ("
                    + role + ", " + deflate + ")\n whole: " + whole + "\n split: " + split);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void inflatesLikeTheJdk(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int splits = (input[0] & 0xFF) % MAX_SPLITS;
        int header = 1 + 2 * splits;
        if (input.length < header) {
            return;
        }
        byte[] deflated = Arrays.copyOfRange(input, header, input.length);
        int[] cuts = new int[splits];
        for (int i = 0; i < splits; i++) {
            cuts[i] = (((input[1 + 2 * i] & 0xFF) << 8 | (input[2 + 2 * i] & 0xFF))) % (deflated.length + 1);
        }
        Arrays.sort(cuts);
        // One binary message, its compressed bytes in as many frames as there are pieces.
        List<byte[]> pieces = cut(deflated, cuts);
        ByteBuffer wire = ByteBuffer.allocate(deflated.length + 14 * pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            boolean first = i == 0;
            boolean last = i == pieces.size() - 1;
            putMaskedFrame(wire, (last ? 0x80 : 0) | (first ? 0x40 | Opcode.BINARY : Opcode.CONTINUATION), pieces.get(i));
        }
        Outcome decoded = decodeAll(new MessageDecoder(Role.SERVER, DEFLATE_LIMITS, new PerMessageDeflate(false, false)),
                DEFLATE_LIMITS, List.of(Arrays.copyOf(wire.array(), wire.position())));
        Outcome expected = jdkInflate(deflated, DEFLATE_LIMITS.maxMessageSize(), decoded);
        if (!decoded.equals(expected)) {
            throw new AssertionError("cut at " + Arrays.toString(cuts) + "\n decoder: " + decoded + "\n jdk:     " + expected);
        }
    }

    /**
     * The reference: RFC 7692 §7.2.2 read with a plain {@link Inflater}, the empty stored block
     * put back, nothing read past a final block, at most {@code limit} bytes. A call that fails
     * with {@link DataFormatException} does not say how many bytes it wrote first, so when the
     * failing call could have written the byte past the limit, either answer (1007 or 1009) is
     * right: the decoder may have seen that byte before the bad data, or not, depending on how
     * the compressed bytes were framed.
     */
    private static Outcome jdkInflate(byte[] deflated, int limit, Outcome decoded) {
        byte[] withTail = Arrays.copyOf(deflated, deflated.length + 4);
        withTail[deflated.length + 2] = (byte) 0xFF;
        withTail[deflated.length + 3] = (byte) 0xFF;
        Inflater inflater = new Inflater(true);
        byte[] out = new byte[limit + 1];
        int size = 0;
        try {
            inflater.setInput(withTail);
            // Until it has nothing more to give: with all input consumed it may still hold output.
            while (size < out.length) {
                int inflated = inflater.inflate(out, size, Math.min(8192, out.length - size));
                if (inflated == 0) {
                    break;
                }
                size += inflated;
            }
            if (size > limit) {
                return new Outcome(List.of(), ProtocolViolation.MESSAGE_TOO_BIG);
            }
            return new Outcome(List.of(Opcode.BINARY + " " + HexFormat.of().formatHex(out, 0, size)), 0);
        } catch (DataFormatException e) {
            boolean mayHavePassedLimit = size + Math.min(8192, out.length - size) > limit;
            if (mayHavePassedLimit && decoded.failure() == ProtocolViolation.MESSAGE_TOO_BIG) {
                return decoded;
            }
            return new Outcome(List.of(), ProtocolViolation.INVALID_PAYLOAD);
        } finally {
            inflater.end();
        }
    }

    private static void putMaskedFrame(ByteBuffer wire, int firstByte, byte[] payload) {
        wire.put((byte) firstByte);
        if (payload.length < 126) {
            wire.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65536) {
            wire.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            wire.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] key = {0x37, (byte) 0xFA, 0x21, 0x3D};
        wire.put(key);
        for (int i = 0; i < payload.length; i++) {
            wire.put((byte) (payload[i] ^ key[i & 3]));
        }
    }

    /** What a decoder made of a stream: its events, and the close code it failed with, or 0. */
    record Outcome(List<String> events, int failure) {
    }

    /**
     * Feeds the reads one after the other, as a connection would, and checks every event.
     * Returns at the first violation, as a connection is then failed.
     */
    static Outcome decodeAll(MessageDecoder decoder, DecoderLimits limits, List<byte[]> reads) {
        List<String> events = new ArrayList<>();
        int total = 0;
        for (byte[] read : reads) {
            total += read.length;
        }
        try {
            for (byte[] read : reads) {
                ByteBuffer in = ByteBuffer.wrap(read.clone());
                while (true) {
                    int opcode = decoder.decode(in);
                    if (opcode == MessageDecoder.NEED_MORE) {
                        if (in.hasRemaining()) {
                            throw new AssertionError("NEED_MORE with " + in.remaining() + " bytes left");
                        }
                        break;
                    }
                    // Every frame has a header of at least 2 bytes, so events are bounded by bytes.
                    if (events.size() >= total / 2 + 1) {
                        throw new AssertionError("more events than the " + total + " input bytes can hold");
                    }
                    events.add(check(opcode, decoder, limits));
                }
            }
            return new Outcome(events, 0);
        } catch (ProtocolViolation violation) {
            if (!CLOSE_CODES.contains(violation.closeCode())) {
                throw new AssertionError("close code " + violation.closeCode() + " for: " + violation.getMessage());
            }
            byte[] reason = violation.getMessage().getBytes(StandardCharsets.UTF_8);
            if (reason.length > CloseFrames.MAX_REASON_BYTES) {
                throw new AssertionError("close reason of " + reason.length + " bytes: " + violation.getMessage());
            }
            return new Outcome(events, violation.closeCode());
        } finally {
            decoder.release();
        }
    }

    /** Checks one decoded event and describes it, payload included, for comparison. */
    private static String check(int opcode, MessageDecoder decoder, DecoderLimits limits) {
        ByteBuffer payload = decoder.payload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        switch (opcode) {
            case Opcode.TEXT, Opcode.BINARY -> {
                if (bytes.length > limits.maxMessageSize()) {
                    throw new AssertionError("message of " + bytes.length + " bytes over the limit of "
                            + limits.maxMessageSize());
                }
                if (opcode == Opcode.TEXT) {
                    requireUtf8(bytes, "text message");
                }
            }
            case Opcode.CLOSE, Opcode.PING, Opcode.PONG -> {
                if (bytes.length > 125) {
                    throw new AssertionError("control payload of " + bytes.length + " bytes");
                }
                if (opcode == Opcode.CLOSE) {
                    int code = decoder.closeCode();
                    boolean valid = code == CloseFrames.NO_STATUS ? bytes.length == 0 : CloseFrames.isValidCode(code);
                    if (!valid) {
                        throw new AssertionError("close code " + code + " with " + bytes.length + " reason bytes");
                    }
                    requireUtf8(bytes, "close reason");
                    return "close " + code + " " + HexFormat.of().formatHex(bytes);
                }
            }
            default -> throw new AssertionError("decode returned opcode " + opcode);
        }
        return opcode + " " + HexFormat.of().formatHex(bytes);
    }

    private static void requireUtf8(byte[] bytes, String what) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new AssertionError(what + " is not UTF-8: " + HexFormat.of().formatHex(bytes), e);
        }
    }

    private static List<byte[]> cut(byte[] wire, int[] cuts) {
        List<byte[]> reads = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            reads.add(Arrays.copyOfRange(wire, from, cut));
            from = cut;
        }
        reads.add(Arrays.copyOfRange(wire, from, wire.length));
        return reads;
    }
}

package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Seeded random conversations: messages of random kinds and sizes, fragmented at random, with
 * pings and pongs between fragments, masked with random keys, and fed to the decoder in random
 * reads. What comes out must equal what a plain byte-by-byte reference decoder reads from the
 * same bytes, and what was sent.
 */
class RandomRoundTripTest {
    private static final long SEED = Long.getLong("switchboard.seed", System.nanoTime());

    @Test
    void randomConversationsDecodeLikeTheReference() throws ProtocolViolation {
        System.out.println("RandomRoundTripTest seed " + SEED + " (rerun with -Dswitchboard.seed=" + SEED + ")");
        Random random = new Random(SEED);
        for (int round = 0; round < 300; round++) {
            List<String> sent = new ArrayList<>();
            byte[] wire = conversation(random, sent);
            List<String> reference = ReferenceDecoder.decode(wire);
            List<byte[]> reads = randomReads(random, wire);
            List<String> decoded = Feed.decode(new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null), reads);
            assertEquals(sent, reference, "the reference disagrees with what was sent; seed " + SEED);
            assertEquals(reference, decoded, "round " + round + ", seed " + SEED);
        }
    }

    private static byte[] conversation(Random random, List<String> sent) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int messages = 1 + random.nextInt(8);
        for (int m = 0; m < messages; m++) {
            boolean text = random.nextBoolean();
            byte[] payload = text ? randomText(random).getBytes(StandardCharsets.UTF_8) : randomBytes(random);
            int fragments = 1 + random.nextInt(4);
            int from = 0;
            for (int f = 0; f < fragments; f++) {
                boolean last = f == fragments - 1;
                int to = last ? payload.length : from + random.nextInt(payload.length - from + 1);
                int opcode = f == 0 ? (text ? Opcode.TEXT : Opcode.BINARY) : Opcode.CONTINUATION;
                wire.writeBytes(Feed.clientFrame(last, opcode, Arrays.copyOfRange(payload, from, to), random.nextInt()));
                from = to;
                if (!last && random.nextInt(3) == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    random.nextBytes(ping);
                    sent.add("ping:" + HexFormat.of().formatHex(ping));
                    wire.writeBytes(Feed.clientFrame(true, Opcode.PING, ping, random.nextInt()));
                }
            }
            sent.add(text ? "text:" + new String(payload, StandardCharsets.UTF_8) : "binary:" + HexFormat.of().formatHex(payload));
        }
        return wire.toByteArray();
    }

    /** Text mixing ASCII runs with 2-, 3- and 4-byte characters, so that sequences get split. */
    private static String randomText(Random random) {
        int[] samples = {'a', 'Z', ' ', 0xE9, 0x3B1, 0x20AC, 0x4E2D, 0xFFFD, 0x1F600, 0x10348};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(random.nextInt(10) == 0 ? 70_000 : 300);
        while (text.length() < length) {
            text.appendCodePoint(random.nextInt(3) == 0 ? samples[random.nextInt(samples.length)] : 'a' + random.nextInt(26));
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 70_000 : 300)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static List<byte[]> randomReads(Random random, byte[] wire) {
        List<byte[]> reads = new ArrayList<>();
        for (int from = 0; from < wire.length; ) {
            int size = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(9000);
            int to = Math.min(wire.length, from + size);
            reads.add(Arrays.copyOfRange(wire, from, to));
            from = to;
        }
        return reads;
    }

    /** RFC 6455 §5.2 read as plainly as possible: one byte at a time, no limits, no validation. */
    private static final class ReferenceDecoder {
        static List<String> decode(byte[] wire) {
            List<String> events = new ArrayList<>();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int messageOpcode = 0;
            int i = 0;
            while (i < wire.length) {
                boolean fin = (wire[i] & 0x80) != 0;
                int opcode = wire[i++] & 0x0F;
                long length = wire[i++] & 0x7F;
                int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
                if (extended > 0) {
                    length = 0;
                    for (int b = 0; b < extended; b++) {
                        length = length << 8 | (wire[i++] & 0xFF);
                    }
                }
                byte[] key = Arrays.copyOfRange(wire, i, i + 4);
                i += 4;
                byte[] payload = new byte[(int) length];
                for (int b = 0; b < length; b++) {
                    payload[b] = (byte) (wire[i++] ^ key[b % 4]);
                }
                if (opcode == Opcode.PING) {
                    events.add("ping:" + HexFormat.of().formatHex(payload));
                    continue;
                }
                if (opcode != Opcode.CONTINUATION) {
                    messageOpcode = opcode;
                    message.reset();
                }
                message.writeBytes(payload);
                if (fin) {
                    byte[] whole = message.toByteArray();
                    events.add(messageOpcode == Opcode.TEXT
                            ? "text:" + new String(whole, StandardCharsets.UTF_8)
                            : "binary:" + HexFormat.of().formatHex(whole));
                }
            }
            return events;
        }
    }
}

package io.switchboard.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/** The fixed message content and its permessage-deflate form. Seeded, so every run sends the same bytes. */
final class Payloads {
    private static final long SEED = 0x5EED_CAFEL;
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final String[] SYMBOLS = {"ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI", "STARK"};
    /** The digits of a {@link #numbered} payload's number. */
    static final int NUMBER_DIGITS = 4;
    private static final String[] EVENTS = {"quote", "trade", "cancel", "heartbeat"};

    private Payloads() {
    }

    /**
     * ASCII text that looks like a stream of JSON market events, cut to {@code size} bytes: realistic
     * for a WebSocket application and compressible the way such traffic is.
     */
    static byte[] text(int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(size + 160);
        for (long id = 1; text.length() < size; id++) {
            int cents = 10_000 + random.nextInt(500);
            text.append("{\"id\":").append(id)
                    .append(",\"user\":\"user-").append(random.nextInt(1000))
                    .append("\",\"event\":\"").append(EVENTS[random.nextInt(EVENTS.length)])
                    .append("\",\"symbol\":\"").append(SYMBOLS[random.nextInt(SYMBOLS.length)])
                    .append("\",\"bid\":").append(cents / 100).append('.').append(String.format(Locale.ROOT, "%02d", cents % 100))
                    .append(",\"qty\":").append(1 + random.nextInt(900))
                    .append(",\"ts\":").append(1_767_225_600_000L + id * 17)
                    .append("}\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    /**
     * {@code payload} with its first {@value #NUMBER_DIGITS} bytes replaced by {@code number} in
     * decimal digits (zero-padded): messages that differ, of the same length and kind.
     */
    static byte[] numbered(byte[] payload, int number) {
        if (payload.length < NUMBER_DIGITS || number < 0 || number >= 10_000) {
            throw new IllegalArgumentException("cannot number a " + payload.length + "-byte payload " + number);
        }
        byte[] numbered = payload.clone();
        byte[] digits = String.format(Locale.ROOT, "%04d", number).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, numbered, 0, NUMBER_DIGITS);
        return numbered;
    }

    /** Pseudo-random bytes: incompressible, like already-compressed binary data. */
    static byte[] binary(int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /**
     * The permessage-deflate payload of a message (RFC 7692 §7.2.1): raw deflate with a sync flush,
     * without the trailing 00 00 FF FF. A fresh compressor per message is exactly what
     * client_no_context_takeover means, so the one result is valid for every message.
     */
    static byte[] deflate(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
            byte[] chunk = new byte[64 * 1024];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length);
            byte[] flushed = out.toByteArray();
            int end = flushed.length - DEFLATE_TAIL.length;
            if (end < 0 || !Arrays.equals(flushed, end, flushed.length, DEFLATE_TAIL, 0, DEFLATE_TAIL.length)) {
                throw new IllegalStateException("a sync flush must end with 00 00 FF FF");
            }
            return Arrays.copyOf(flushed, end);
        } finally {
            deflater.end();
        }
    }

    /** The four bytes a permessage-deflate receiver appends before inflating. */
    static byte[] deflateTail() {
        return DEFLATE_TAIL.clone();
    }
}

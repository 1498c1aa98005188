package io.switchboard.endpoint.capacity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The few bytes of RFC 6455 the capacity test speaks by hand: the opening request, the check of
 * the 101 answer, and masked client frames. Shared by the test JVM and the client JVM.
 */
final class RawWebSocket {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private RawWebSocket() {
    }

    /** A fresh random Sec-WebSocket-Key. */
    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The Sec-WebSocket-Accept value a server must answer to {@code key}. */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] upgradeRequest(String hostPort, String path, String key) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostPort + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The length of the response head (through the blank line) in {@code bytes[0..length)}, or -1. */
    static int headLength(byte[] bytes, int length) {
        outer:
        for (int i = 0; i + HEAD_END.length <= length; i++) {
            for (int j = 0; j < HEAD_END.length; j++) {
                if (bytes[i + j] != HEAD_END[j]) {
                    continue outer;
                }
            }
            return i + HEAD_END.length;
        }
        return -1;
    }

    /**
     * Checks a complete response head: status 101, {@code Upgrade: websocket} and the right
     * {@code Sec-WebSocket-Accept}. Returns null if it is fine, else what is wrong.
     */
    static String checkSwitchingProtocols(String head, String key) {
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            return "status line is '" + lines[0] + "'";
        }
        String upgrade = null;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("upgrade")) {
                upgrade = value;
            } else if (name.equals("sec-websocket-accept")) {
                accept = value;
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return "Upgrade header is " + upgrade;
        }
        if (!acceptFor(key).equals(accept)) {
            return "Sec-WebSocket-Accept is " + accept + ", expected " + acceptFor(key);
        }
        return null;
    }

    /** A masked client frame (FIN set) with a payload of at most 125 bytes. */
    static ByteBuffer maskedFrame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("payload too long for this helper");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteBuffer frame = ByteBuffer.allocate(2 + 4 + payload.length);
        frame.put((byte) (0x80 | opcode));
        frame.put((byte) (0x80 | payload.length));
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }

    /** A masked Close frame with this code and no reason. */
    static ByteBuffer maskedClose(int code) {
        return maskedFrame(0x8, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** Soft and hard RLIMIT_NOFILE of this process, from /proc/self/limits: Long.MAX_VALUE for unlimited, -1 if unknown. */
    static long[] openFileLimits() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
            for (String line : lines) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parseLimit(fields[0]), parseLimit(fields[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: unknown
        }
        return new long[] {-1, -1};
    }

    /** The "Max open files" line of /proc/self/limits as it reads, or a note that it cannot be read. */
    static String openFileLimitsLine() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.replaceAll("\\s+", " ").trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "/proc/self/limits unreadable: " + e;
        }
        return "/proc/self/limits has no 'Max open files' line";
    }

    /** How many descriptors this process has open now, from /proc/self/fd; -1 if unknown. */
    static int openDescriptors() {
        String[] entries = new java.io.File("/proc/self/fd").list();
        return entries == null ? -1 : entries.length;
    }

    private static long parseLimit(String field) {
        return field.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(field);
    }
}

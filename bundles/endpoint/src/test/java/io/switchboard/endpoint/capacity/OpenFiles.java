package io.switchboard.endpoint.capacity;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this process may open and has open, from /proc/self: shared by the test JVM and the client JVM. */
final class OpenFiles {
    private OpenFiles() {
    }

    /** Soft and hard RLIMIT_NOFILE of this process, from /proc/self/limits: Long.MAX_VALUE for unlimited, -1 if unknown. */
    static long[] limits() {
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
    static String limitsLine() {
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
    static int open() {
        String[] entries = new File("/proc/self/fd").list();
        return entries == null ? -1 : entries.length;
    }

    private static long parseLimit(String field) {
        return field.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(field);
    }
}

package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's "Develop a handler" section, read from the file a user reads, so that
 * {@link DevelopAHandlerIT} runs the commands it gives and expects the answers it promises.
 */
final class DevelopAHandlerSection {
    static final String HEADING = "## Develop a handler";
    private static final Pattern SEND = Pattern.compile("ws\\.send\\(\"([^\"]*)\"\\);\\s*// (.*)");
    private static final Pattern SOCKET = Pattern.compile("new WebSocket\\(\"ws://localhost:8080(/[^\"]*)\"\\)");
    private static final Pattern GREETING = Pattern.compile("set `GREETING` in `(\\w+\\.java)` to\\s+`(\"[^`]*\")`");

    private final String section;

    private DevelopAHandlerSection(String section) {
        this.section = section;
    }

    static DevelopAHandlerSection read(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf("\n" + HEADING + "\n");
        assertTrue(start >= 0, readme + " has no section '" + HEADING + "'");
        int end = text.indexOf("\n## ", start + 1);
        return new DevelopAHandlerSection(text.substring(start, end < 0 ? text.length() : end));
    }

    /** The lines of the section's {@code n}th code block (from 0), continuation lines joined. */
    List<String> block(int n) {
        String[] parts = section.split("\n```[a-z]*\n");
        assertTrue(parts.length > 2 * n + 1, "the section has no code block " + n);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String part : parts[2 * n + 1].lines().toList()) {
            if (part.endsWith("\\")) {
                line.append(part, 0, part.length() - 1).append(' ');
            } else {
                lines.add(line.append(part).toString().strip().replaceAll("\\s+", " "));
                line.setLength(0);
            }
        }
        return lines;
    }

    /** The path the browser's client connects to. */
    String route() {
        return find(SOCKET, "a new WebSocket(\"ws://localhost:8080/…\")").group(1);
    }

    /** The {@code ws.send("…"); // answer} lines, in order: each a message and the answer it gets. */
    List<String[]> exchanges() {
        List<String[]> exchanges = new ArrayList<>();
        Matcher send = SEND.matcher(section);
        while (send.find()) {
            exchanges.add(new String[] {send.group(1), send.group(2)});
        }
        return exchanges;
    }

    /** The change the section asks for: the source file, and the new value of {@code GREETING}. */
    String[] greetingChange() {
        Matcher change = find(GREETING, "set `GREETING` in `….java` to `\"…\"`");
        return new String[] {change.group(1), change.group(2)};
    }

    private Matcher find(Pattern pattern, String what) {
        Matcher matcher = pattern.matcher(section);
        assertTrue(matcher.find(), "the section no longer says " + what + ":\n" + section);
        return matcher;
    }
}

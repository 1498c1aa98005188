package io.switchboard.itests.karaf;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's "In Karaf" section, read from the file a user reads: the install command it gives
 * and the Karaf shell lines it tells the user to type, so that the test runs those very lines.
 */
final class ReadmeKaraf {
    static final String HEADING = "## In Karaf";

    private final String section;

    private ReadmeKaraf(String section) {
        this.section = section;
    }

    static ReadmeKaraf read(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf("\n" + HEADING + "\n");
        assertTrue(readme + " has no section '" + HEADING + "'", start >= 0);
        int end = text.indexOf("\n## ", start + 1);
        return new ReadmeKaraf(text.substring(start, end < 0 ? text.length() : end));
    }

    /** Tells whether the section gives this command as a line of its own. */
    boolean gives(String command) {
        return section.lines().map(String::strip).anyMatch(command::equals);
    }

    /** The section's lines that start with {@code feature:}, in order, as the user types them. */
    List<String> featureCommands() {
        List<String> commands = new ArrayList<>();
        section.lines().map(String::strip).filter(line -> line.startsWith("feature:")).forEach(commands::add);
        return commands;
    }

    @Override
    public String toString() {
        return section;
    }
}

package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.RouteProbe;

/**
 * The README's "Develop a handler", done as a new user does it: generate the project from the
 * archetype with the section's own command, build it with {@code mvn -B verify}, start the
 * launcher, copy the jar into its deploy folder, connect a client, change the greeting as the
 * section says, build again, copy again — and the client, still connected, is answered by the new
 * version, with the answers the section promises.
 *
 * <p>The section's {@code mvn -B install -DskipTests} puts Switchboard into the user's local
 * repository; here the archetype module's build has staged the same artifacts in a repository of
 * its own, which the Maven runs below use as theirs, with its settings (see archetype/pom.xml).
 * The launcher runs on a free port, not 8080, with its folders under a temporary directory that
 * stands for the clone.
 */
class DevelopAHandlerIT {
    private static final Path README = Path.of(System.getProperty("switchboard.readme", "../README.md"));
    private static final long BUILD_MINUTES = 10;

    @TempDir
    Path work;

    @Test
    void theClientThatStayedConnectedIsAnsweredByTheRebuiltHandler() throws Exception {
        DevelopAHandlerSection readme = DevelopAHandlerSection.read(README);
        List<String> commands = readme.block(0);
        assertEquals("mvn -B install -DskipTests", commands.get(0), "the staged repository stands for this step");

        Path clone = Files.createDirectories(work.resolve("switchboard"));
        Path directory = clone;
        for (String command : commands.subList(1, commands.size())) {
            if (command.startsWith("cd ")) {
                directory = directory.resolve(command.substring(3)).normalize();
            } else {
                maven(directory, command);
            }
        }
        Path project = directory;

        List<String> running = readme.block(1);
        assertEquals("./switchboard &", running.get(0));
        String[] copy = running.get(1).split(" ");
        assertEquals(List.of("cp", "deploy/"), List.of(copy[0], copy[2]), running.get(1));
        Path jar = clone.resolve(copy[1]).normalize();
        List<String[]> exchanges = readme.exchanges();
        assertEquals(2, exchanges.size(), "one message before the change and one after");

        try (LaunchedSwitchboard launched = LaunchedSwitchboard.start(clone, "--port", "0")) {
            String listening = "Switchboard is listening on port ";
            int port = Integer.parseInt(launched.awaitLine(listening).substring(listening.length()));
            Files.copy(jar, launched.deploy.resolve(jar.getFileName()));
            launched.awaitLineContaining("started (" + jar.getFileName() + ")", 0);
            URI route = URI.create("ws://127.0.0.1:" + port + readme.route());
            RouteProbe.awaitServed(route, Duration.ofSeconds(10));

            try (JdkWebSocketClient client = JdkWebSocketClient.connect(route)) {
                assertEquals(exchanges.get(0)[1], client.request(exchanges.get(0)[0]));

                changeGreeting(project, readme.greetingChange());
                maven(project, commands.get(commands.size() - 1)); // mvn -B verify, again
                int mark = launched.lineCount();
                Files.copy(jar, launched.deploy.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                launched.awaitLineContaining("updated (" + jar.getFileName() + ")", mark);

                assertEquals(exchanges.get(1)[1], client.request(exchanges.get(1)[0]));
                client.assertOpen();
            }
        }
    }

    /** Sets the handler's {@code GREETING} constant to the value the section gives. */
    private static void changeGreeting(Path project, String[] change) throws IOException {
        Path source;
        try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
            source = files.filter(file -> file.getFileName().toString().equals(change[0])).findFirst()
                    .orElseThrow(() -> new AssertionError("the generated project has no " + change[0]));
        }
        String code = Files.readString(source, StandardCharsets.UTF_8);
        String changed = code.replaceFirst("GREETING = \"[^\"]*\";", "GREETING = " + change[1] + ";");
        assertTrue(!changed.equals(code), source + " has no GREETING constant to change");
        Files.writeString(source, changed, StandardCharsets.UTF_8);
    }

    /**
     * Runs a {@code mvn} command of the section in {@code directory}, with this build's Maven, the
     * staged repository and its settings.
     */
    private void maven(Path directory, String command) throws IOException, InterruptedException {
        Path repository = Path.of(System.getProperty("it.repository"));
        assertTrue(Files.isDirectory(repository), repository + " is missing: build the archetype module first (-am)");
        List<String> arguments = new ArrayList<>(Arrays.asList(command.split(" ")));
        assertEquals("mvn", arguments.get(0), "not a Maven command: " + command);
        arguments.set(0, Path.of(System.getProperty("maven.home"), "bin", "mvn").toString());
        arguments.addAll(List.of("-s", System.getProperty("it.settings"),
                "-Dmaven.repo.local=" + repository,
                "-Dpax-url.repositories=" + System.getProperty("it.pax-url.repositories")));
        Path log = Files.createTempFile(work, "maven-", ".log");
        Process maven = new ProcessBuilder(arguments).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!maven.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new AssertionError(command + " did not end within " + BUILD_MINUTES + " minutes; its log: " + log);
        }
        assertEquals(0, maven.exitValue(), () -> command + " failed in " + directory + ":\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}

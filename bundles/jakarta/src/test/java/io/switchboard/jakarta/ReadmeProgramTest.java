package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;

/**
 * The README's Jakarta program runs as a reader would run it: compiled as it stands (its port
 * moved to a free one) against this module's class path, its {@code main} called, and its room
 * talked to with the JDK's WebSocket client. (The endpoint's {@code ReadmeExamplesTest} runs the
 * programs that need only the api and the endpoint.) Its server stops with this JVM, by the
 * program's own shutdown hook.
 */
class ReadmeProgramTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesJakartaProgramServesItsRooms() throws Exception {
        String source = jakartaProgram(Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertTrue(source.contains(".port(8080)"), "the program does not listen on .port(8080)");
        Path work = Files.createDirectories(Path.of("target", "readme-program"));
        Files.writeString(work.resolve("RoomsServer.java"), source.replace(".port(8080)", ".port(" + port + ")"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-classpath", System.getProperty("java.class.path"),
                "-d", work.toString(), work.resolve("RoomsServer.java").toString());
        assertEquals(0, status, "the README's program compiles");

        URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader());
        loader.loadClass("RoomsServer").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/rooms/lobby"))) {
            assertEquals("lobby: hello", client.request("hello"));
        }
    }

    /** The java block with a main method that imports Jakarta WebSocket. */
    private static String jakartaProgram(String readme) {
        Matcher block = JAVA_BLOCK.matcher(readme);
        List<String> found = new ArrayList<>();
        while (block.find()) {
            if (block.group(1).contains("static void main(String") && block.group(1).contains("import jakarta.websocket")) {
                found.add(block.group(1));
            }
        }
        assertEquals(1, found.size(), "the README's Jakarta programs");
        return found.get(0);
    }
}

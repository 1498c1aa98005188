package io.switchboard.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The programs in README.md run as a reader would run them: compiled as they stand, started in a
 * JVM of their own, and talked to with the JDK's WebSocket client.
 *
 * <p>Which blocks are programs: a {@code ```java} block that declares a {@code main} method is a
 * program and must be a whole compilation unit (imports included) that compiles against the api
 * and the endpoint. One that imports Jakarta WebSocket is run by the jakarta bundle's
 * {@code ReadmeProgramTest}, which has that API. Every other block is a fragment that shows a
 * shape (a handler, a component with {@code ...}, a decoding loop) and is left out. The one change made to a program: its
 * {@code .port(8080)} becomes a free port, so that the test never depends on 8080 being free.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern MAIN = Pattern.compile("static\\s+void\\s+main\\s*\\(\\s*String");
    private static final Pattern CLASS_NAME = Pattern.compile("\\bclass\\s+(\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern ROUTE = Pattern.compile("\\.route\\(\"(/[^\"]*)\"");
    private static final String README_PORT = ".port(8080)";
    private static final long STARTUP_SECONDS = 30;
    private static final long ECHO_SECONDS = 10;

    @TestFactory
    Stream<DynamicTest> everyProgramInTheReadmeServesItsRoute() throws IOException {
        // Surefire runs the tests in the module's folder, bundles/endpoint.
        Path readme = Path.of(System.getProperty("user.dir")).resolve("../../README.md").normalize();
        assertTrue(Files.isRegularFile(readme), "no README at " + readme);
        List<String> programs = programs(Files.readString(readme, StandardCharsets.UTF_8));
        assertFalse(programs.isEmpty(), "README.md has no java block with a main method");
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            String source = programs.get(i);
            Path work = Path.of("target", "readme-examples", "program-" + (i + 1));
            tests.add(DynamicTest.dynamicTest(className(source) + " (java block with main no. " + (i + 1) + ")",
                    () -> compileRunAndEcho(source, work)));
        }
        return tests.stream();
    }

    private static List<String> programs(String markdown) {
        List<String> programs = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(markdown);
        while (block.find()) {
            if (MAIN.matcher(block.group(1)).find() && !block.group(1).contains("import jakarta.")) {
                programs.add(block.group(1));
            }
        }
        return programs;
    }

    private static void compileRunAndEcho(String readmeSource, Path work) throws Exception {
        assertTrue(readmeSource.contains(README_PORT), "the program does not listen on " + README_PORT
                + ", so this test cannot move it to a free port");
        Matcher route = ROUTE.matcher(readmeSource);
        assertTrue(route.find(), "the program serves no route this test could call");
        int port = freePort();
        String source = readmeSource.replace(README_PORT, ".port(" + port + ")");

        Path classes = compile(source, work);
        Path log = work.resolve("output.txt");
        Process child = start(mainClass(source), classes, log);
        try {
            awaitListening(child, port, log);
            String text = "hello from " + ReadmeExamplesTest.class.getSimpleName();
            String echoed;
            try {
                echoed = echo(URI.create("ws://127.0.0.1:" + port + route.group(1)), text);
            } catch (Exception e) {
                // The port may have answered in the moment between the bind and the exit.
                if (child.waitFor(2, TimeUnit.SECONDS)) {
                    fail("the program exited with status " + child.exitValue() + " while a client talked to it:\n"
                            + output(log), e);
                }
                throw e;
            }
            assertEquals(text, echoed);
            assertTrue(child.isAlive(), "the program ended while serving:\n" + output(log));
        } finally {
            child.destroy(); // SIGTERM: the program's own shutdown hook stops the server
            if (!child.waitFor(STARTUP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
        }
    }

    private static Path compile(String source, Path work) throws IOException {
        Path sources = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(sources);
        Files.createDirectories(classes);
        Path file = sources.resolve(className(source) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "no Java compiler in this runtime: the tests need a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none");
            Boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(file)).call();
            assertTrue(compiled, () -> "the README program does not compile as it stands:\n"
                    + diagnostics.getDiagnostics() + "\n" + source);
        }
        return classes;
    }

    /** The same java binary as this JVM's, with the compiled program before the test class path. */
    private static Process start(String mainClass, Path classes, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = classes.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path");
        return new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classPath, mainClass)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Polls until the port accepts a connection. A program whose main returns while the server
     * runs on daemon threads only is gone within moments: that fails here, with its output.
     */
    private static void awaitListening(Process child, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        while (true) {
            if (!child.isAlive()) {
                fail("the program exited with status " + child.exitValue() + " before it served a client:\n" + output(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    fail("nothing listens on port " + port + " after " + STARTUP_SECONDS + " s:\n" + output(log));
                }
                child.waitFor(50, TimeUnit.MILLISECONDS); // the pause between tries ends at once if the child exits
            }
        }
    }

    /** Sends one text message and returns the first whole text message that comes back. */
    private static String echo(URI uri, String text) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    answer.complete(message.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                answer.completeExceptionally(new IOException("closed with " + statusCode + " " + reason + " before the echo"));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                answer.completeExceptionally(error);
            }
        };
        WebSocket webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, listener)
                .get(ECHO_SECONDS, TimeUnit.SECONDS);
        try {
            webSocket.sendText(text, true).get(ECHO_SECONDS, TimeUnit.SECONDS);
            return answer.get(ECHO_SECONDS, TimeUnit.SECONDS);
        } finally {
            webSocket.abort();
        }
    }

    private static String className(String source) {
        Matcher name = CLASS_NAME.matcher(source);
        assertTrue(name.find(), "no class declared in:\n" + source);
        return name.group(1);
    }

    private static String mainClass(String source) {
        Matcher pkg = PACKAGE.matcher(source);
        return pkg.find() ? pkg.group(1) + "." + className(source) : className(source);
    }

    /** A port free at this moment; another process could take it before the program binds it. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String output(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}

package io.switchboard.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.ConfigInfo;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.MavenUtils;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.JdkWebSocketClient.Closed;

/**
 * The features in a real Apache Karaf 4.4, installed the way the README's "In Karaf" section
 * says: the build has installed its artifacts into a local Maven repository as {@code mvn install}
 * does (into a throwaway one under target/), Karaf reads it as its local repository as it reads
 * {@code ~/.m2/repository} by default, and the Karaf shell runs the README's own
 * {@code feature:repo-add} and {@code feature:install} lines, read from README.md. Then the
 * default endpoint comes up, echo and chat answer real clients (the JDK's), the echo page is
 * served, the shell commands print what the whiteboard's services say, and a
 * {@code bundle:update} of the chat bundle keeps its client connected and answered. Then
 * {@code switchboard-jakarta} serves a Jakarta endpoint bundle built here, whose update while a
 * session is open keeps the session (the new version adopts it).
 *
 * <p>This class names no type of the features: the probe bundle that runs it is installed before
 * the features are, so everything that needs the whiteboard's classes lives in {@link LiveState},
 * which is first loaded once the features are in. The test-support bundle with the client is
 * installed with the probe, at the start.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafIT {
    private static final long TIMEOUT_SECONDS = 20;
    /** The Jakarta endpoint class of the bundle the test builds (see {@link #jakartaEndpointBundle}). */
    private static final String JAKARTA_ENDPOINT = "io.switchboard.itests.karaf.jakartaendpoint.VersionedRoom";

    /** What the README gives to put the artifacts into ~/.m2/repository; the build does the same into a throwaway one. */
    private static final String README_INSTALL = "mvn -B install -DskipTests";

    /** Who runs the shell commands: Karaf's karaf user with the roles of its admingroup (bundle:update needs manager). */
    private static final Subject ADMIN = new Subject(true, Set.of(new UserPrincipal("karaf"), new RolePrincipal("admin"),
            new RolePrincipal("manager"), new RolePrincipal("viewer")), Set.of(), Set.of());

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    SessionFactory sessions;

    @Inject
    ConfigurationAdmin configurations;

    @Configuration
    public Option[] configuration() {
        if (Runtime.version().feature() > 21) {
            throw new IllegalStateException("Karaf 4.4 runs on the test JVM's Java, " + Runtime.version()
                    + ", on which it does not start: run Maven on Java 17, or pass -Dkaraf.jvm=/path/to/jdk-17/bin/java");
        }
        // Third-party bundles Karaf does not ship (Pax Exam's own) come from the build's local
        // repository, read as a remote one for releases only, in place of Maven Central: so the
        // snapshots of this project can come from nowhere but the repository the build installed.
        String thirdParty = new File(required("switchboard.buildRepository")).toURI().toString();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf").type("tar.gz").versionAsInProject())
                        .unpackDirectory(new File(required("switchboard.exam")))
                        .useDeployFolder(false),
                when(Boolean.getBoolean("switchboard.keepKaraf")).useOptions(keepRuntimeFolder()),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                // What bin/karaf passes on Java 9 and later; Pax Exam 4.14 does not.
                new VMOption("--add-reads=java.xml=java.logging"),
                new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                new VMOption("--patch-module"),
                new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion() + ".jar"),
                new VMOption("--patch-module"),
                new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion() + ".jar"),
                new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                new VMOption("-classpath"),
                new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"),
                // Karaf's Maven resolver as shipped (its system folder first), except: the local
                // repository is the one the build installed into, where a user's is ~/.m2/repository.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        required("switchboard.localRepository")),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        thirdParty + "@id=build.releases, https://repo1.maven.org/maven2@id=central"),
                systemProperty("switchboard.version").value(required("switchboard.version")),
                systemProperty("switchboard.readme").value(required("switchboard.readme")),
                // The tests' WebSocket client, not part of any feature: the probe imports it.
                mavenBundle("io.switchboard", "io.switchboard.testing", required("switchboard.version")));
    }

    @Test
    public void theReadmesLinesInstallTheFeaturesWhichServeEchoAndTheShellTellsTheTruth() throws Exception {
        ReadmeKaraf readme = ReadmeKaraf.read(Path.of(required("switchboard.readme")));
        assertTrue("the README installs the artifacts with '" + README_INSTALL + "', as this build does:\n" + readme,
                readme.gives(README_INSTALL));
        List<String> commands = readme.featureCommands();
        assertEquals("the README's feature: lines " + commands, 2, commands.size());
        String repoAdd = "feature:repo-add ";
        String install = "feature:install ";
        assertTrue(commands.get(0), commands.get(0).startsWith(repoAdd));
        assertEquals("the README's features repository is this build's",
                "mvn:io.switchboard/switchboard-features/" + required("switchboard.version") + "/xml/features",
                commands.get(0).substring(repoAdd.length()));
        assertTrue(commands.get(1), commands.get(1).startsWith(install));
        List<String> featureNames = List.of(commands.get(1).substring(install.length()).trim().split("\\s+"));
        assertEquals(List.of("switchboard", "switchboard-examples", "switchboard-shell"), featureNames);

        execute(commands.get(0));

        // The feature's default endpoint listens on 8080. Configured before the feature is
        // installed, as an administrator would, it listens on a free port instead: the feature
        // keeps a configuration that exists and adds none beside it.
        assertEquals("the feature's default endpoint configuration", "8080",
                defaultEndpointConfiguration().get("port"));
        int port = freePort();
        org.osgi.service.cm.Configuration configured =
                configurations.getFactoryConfiguration("io.switchboard.endpoint", "default", "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", "default");
        properties.put("port", port);
        properties.put("org.apache.karaf.features.configKey", "io.switchboard.endpoint-default");
        configured.update(properties);

        execute(commands.get(1));
        for (String feature : featureNames) {
            assertTrue(feature + " is installed", features.isInstalled(features.getFeature(feature)));
        }
        assertEquals("configurations of io.switchboard.endpoint", 1,
                configurations.listConfigurations("(service.factoryPid=io.switchboard.endpoint)").length);

        LiveState live = new LiveState(context, TIMEOUT_SECONDS);
        live.awaitDefaultEndpointOn(port);
        URI echo = URI.create("ws://127.0.0.1:" + port + "/echo");

        URI chat = URI.create("ws://127.0.0.1:" + port + "/chat");
        assertPage("http://127.0.0.1:" + port + "/echo", "<script src=\"echo.js\" defer></script>");
        assertPage("http://127.0.0.1:" + port + "/", "<script src=\"chat.js\" defer></script>");

        try (JdkWebSocketClient client = open(echo); JdkWebSocketClient chatter = open(chat)) {
            assertEquals("hello Karaf", client.request("hello Karaf"));
            assertTrue(chatter.awaitText().startsWith("?")); // the room asks for a nickname
            chatter.send("karaf");
            chatter.awaitTextMatching(line -> line.equals("+ karaf"));
            JdkWebSocketClient doomed = open(echo);
            assertEquals("and me", doomed.request("and me"));
            Map<Long, String> live3 = live.connections();
            assertEquals("live connections " + live3, 3, live3.size());
            long doomedId = live3.keySet().stream().max(Long::compare).orElseThrow(); // ids grow

            // switchboard:endpoints — the default endpoint, its port, its three connections.
            List<String> endpoint = row(rows(execute("switchboard:endpoints")), 0, "default");
            assertEquals(String.valueOf(port), endpoint.get(2));
            assertEquals("false", endpoint.get(3));
            assertEquals("3", endpoint.get(4));

            // Each command once: the bundle's Karaf actions, without its Gogo functions, which
            // Karaf's shell would take for commands too (they wait for a Gogo ThreadIO service).
            assertEquals(List.of("close", "connect", "connections", "endpoints", "handlers"), sessions.getRegistry().getCommands()
                    .stream().filter(command -> "switchboard".equals(command.getScope())).map(Command::getName).sorted().toList());
            assertNull("a Gogo function service in Karaf",
                    context.getServiceReferences((String) null, "(osgi.command.scope=switchboard)"));

            // switchboard:handlers — echo is bound on /echo of default, as the runtime says.
            long echoService = live.boundServiceId("/echo");
            long chatService = live.boundServiceId("/chat");
            List<List<String>> handlers = rows(execute("switchboard:handlers"));
            List<String> handler = row(handlers, 1, String.valueOf(echoService));
            assertEquals("bound", handler.get(0));
            assertTrue(handler.get(3), handler.get(3).startsWith("io.switchboard.examples.echo ["));
            assertEquals("/echo", handler.get(4));
            assertEquals("default", handler.get(5));
            assertEquals("/chat", row(handlers, 1, String.valueOf(chatService)).get(4));

            // switchboard:connections — exactly the live connections, each with its route.
            List<List<String>> connections = rows(execute("switchboard:connections"));
            assertEquals(connections.toString(), live3.size(), connections.size());
            for (Map.Entry<Long, String> live1 : live3.entrySet()) {
                List<String> connection = row(connections, 0, String.valueOf(live1.getKey()));
                assertEquals("default", connection.get(1));
                assertEquals(live1.getValue(), connection.get(2));
                assertTrue(connection.get(3), connection.get(3).startsWith("127.0.0.1:"));
            }
            assertEquals("/echo", live3.get(doomedId));

            // switchboard:close — the doomed client gets 1000 with the reason; the others stay.
            execute("switchboard:close " + doomedId + " bye");
            assertEquals(new Closed(1000, "bye"), doomed.awaitClose());
            live.awaitConnectionIds(live3.keySet().stream().filter(id -> id != doomedId).sorted().toList());

            // switchboard:connect — through the SwitchboardClient service to the echo and back,
            // then closed with 1000.
            String connected = execute("switchboard:connect --wait 500 " + echo + " hello-from-karaf");
            assertTrue(connected, connected.contains("< hello-from-karaf"));
            assertTrue(connected, connected.contains("Closed: 1000"));

            // bundle:update of the chat example keeps its client connected, and it is answered
            // again: by the new version of the room (which asks the adopted member for its
            // nickname again, or keeps it; either way the next line gets its answer).
            execute("bundle:update " + bundle("io.switchboard.examples.chat").getBundleId());
            chatter.send("again");
            chatter.awaitTextMatching(line -> line.equals("+ again") || line.equals("karaf: again"));
            assertFalse("the chat client was closed by the update", chatter.isClosed());
            assertNotEquals("a new handler service serves /chat", chatService, live.boundServiceId("/chat"));
            assertEquals("echo still there?", client.request("echo still there?"));
            assertFalse("the echo client was closed", client.isClosed());
        }

        // switchboard-jakarta: a Jakarta endpoint bundle is served, and updated while its
        // session is open it keeps that session, which the new version adopts.
        execute("feature:install switchboard-jakarta");
        Bundle rooms = context.installBundle("switchboard-karaf-it:rooms", jakartaEndpointBundle("1.0.0", "v1"));
        try {
            rooms.start();
            try (JdkWebSocketClient room = open(URI.create("ws://127.0.0.1:" + port + "/jakarta/lobby"))) {
                assertEquals("v1 lobby hi adopted=null", room.request("hi"));
                rooms.update(jakartaEndpointBundle("2.0.0", "v2"));
                assertEquals("v2 lobby again adopted=true", room.request("again"));
                assertFalse("the Jakarta client was closed by the update", room.isClosed());
            }
        } finally {
            rooms.uninstall();
        }
    }

    /**
     * The Jakarta endpoint bundle: the class {@value #JAKARTA_ENDPOINT} alone (named, not loaded
     * here: it needs the Jakarta API, which comes with the feature), its version in its manifest.
     */
    private static InputStream jakartaEndpointBundle(String bundleVersion, String endpointVersion) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.switchboard.itests.karaf.rooms");
        main.putValue("Bundle-Version", bundleVersion);
        main.putValue("Bundle-Activator", JAKARTA_ENDPOINT);
        main.putValue("Import-Package", "jakarta.websocket,jakarta.websocket.server,org.osgi.framework");
        main.putValue("Endpoint-Version", endpointVersion);
        String entry = JAKARTA_ENDPOINT.replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
             InputStream in = KarafIT.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static JdkWebSocketClient open(URI uri) {
        return JdkWebSocketClient.to(uri).timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).connect();
    }

    /** Runs a shell command as a user would, retrying while Karaf has not registered it yet. */
    private String execute(String command) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
            try {
                Subject.doAs(ADMIN, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
                out.flush();
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (PrivilegedActionException wrapped) {
                Exception e = wrapped.getException();
                boolean notYet = e.getClass().getSimpleName().equals("CommandNotFoundException");
                if (!notYet || System.nanoTime() > deadline) {
                    throw new AssertionError(command + " failed: " + e + "\n" + bytes.toString(StandardCharsets.UTF_8), e);
                }
                Thread.sleep(100);
            } finally {
                session.close();
            }
        }
    }

    /** The cells of a ShellTable's rows, header and separator left out. */
    private static List<List<String>> rows(String table) {
        List<List<String>> rows = new ArrayList<>();
        String[] lines = table.split("\\R");
        for (int i = 2; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : lines[i].split("\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> row(List<List<String>> rows, int column, String value) {
        for (List<String> row : rows) {
            if (row.size() > column && row.get(column).equals(value)) {
                return row;
            }
        }
        fail("no row has " + value + " in column " + column + ": " + rows);
        return null;
    }

    /** A plain GET of {@code url} gets an HTML page that holds {@code content}. */
    private static void assertPage(String url, String content) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(url, 200, page.statusCode());
        assertEquals(url, "text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(url + ": " + page.body(), page.body().contains(content));
    }

    /** The properties of the default endpoint's configuration in the switchboard feature of the repository added. */
    private Map<String, String> defaultEndpointConfiguration() throws Exception {
        for (ConfigInfo config : features.getFeature("switchboard").getConfigurations()) {
            if (config.getName().equals("io.switchboard.endpoint-default")) {
                Properties properties = new Properties();
                properties.load(new StringReader(config.getValue()));
                Map<String, String> values = new HashMap<>();
                properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
                return values;
            }
        }
        fail("the switchboard feature has no io.switchboard.endpoint-default configuration");
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        fail("no bundle " + symbolicName);
        return null;
    }

    private static String karafVersion() {
        return MavenUtils.getArtifactVersion("org.apache.karaf", "apache-karaf");
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set: run the test through Maven");
        }
        return value;
    }
}

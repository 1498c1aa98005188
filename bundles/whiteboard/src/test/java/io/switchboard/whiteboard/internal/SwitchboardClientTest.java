package io.switchboard.whiteboard.internal;

import static io.switchboard.whiteboard.WhiteboardConstants.CLIENT_SETTINGS_APPLIED;
import static io.switchboard.whiteboard.WhiteboardConstants.ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.SwitchboardClient;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;

/**
 * The {@link SwitchboardClient} service in a real Felix framework, got by bundles installed in
 * the test, connecting over real sockets: on the loops of the whiteboard's endpoint when one runs,
 * else on a loop of its own; a changed configuration for new connections only; a bundle's
 * connections closed with 1001 when it stops, and only its own.
 */
class SwitchboardClientTest {
    private static final long SECONDS = JdkWebSocketClient.DEFAULT_TIMEOUT.toSeconds();

    private Whiteboard whiteboard;
    private ClientComponent client;
    private final BlockingQueue<Integer> serverSawClose = new LinkedBlockingQueue<>();
    private final ConnectionHandler echo = new ConnectionHandler() {
        @Override
        public void message(Connection connection, String text) {
            connection.send(text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            serverSawClose.add(status.code());
        }
    };

    @BeforeEach
    void start() throws Exception {
        whiteboard = new Whiteboard();
        client = new ClientComponent(whiteboard.registry, whiteboard.context, configuration());
    }

    @AfterEach
    void stop() throws Exception {
        client.deactivate();
        whiteboard.close();
    }

    @Test
    void connectionsRunOnTheEndpointsLoopsAndTheRuntimeListsThem() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint("name", "main");
        whiteboard.register(echo, ROUTE, "/echo");
        Bundle user = install("user");
        Recorder recorder = new Recorder();

        Connection connection = done(service(user).connect(uri(endpoint.address().getPort()), recorder));
        connection.send("hello");

        assertEquals("hello", take(recorder.texts));
        assertTrue(take(recorder.threads).startsWith("switchboard-loop-main-"), "on the endpoint's loop");
        ClientConnectionDTO[] listed = whiteboard.registry.runtime().clientConnections;
        assertEquals(1, listed.length);
        assertEquals(connection.id(), listed[0].id);
        assertEquals(uri(endpoint.address().getPort()).toString(), listed[0].uri);
        assertEquals(user.getBundleId(), listed[0].bundleId);
        assertEquals("127.0.0.1:" + endpoint.address().getPort(), listed[0].remoteAddress);
        assertTrue(endpoint.connections().stream().noneMatch(info -> info.id() == connection.id()),
                "the endpoint lists what it accepted, not the client's side");
    }

    @Test
    void withoutAnEndpointConnectionsRunOnTheClientsOwnLoop() throws Exception {
        WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).route("/echo", echo).start();
        try {
            Recorder recorder = new Recorder();
            Connection connection = done(service(install("user")).connect(uri(server.port()), recorder));
            connection.send("alone");

            assertEquals("alone", take(recorder.texts));
            assertTrue(take(recorder.threads).startsWith("switchboard-loop-switchboard-client-"), "on the client's own loop");
        } finally {
            server.stop();
        }
    }

    @Test
    void stoppingABundleClosesItsConnectionsWith1001AndNoOthers() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        whiteboard.register(echo, ROUTE, "/echo");
        Bundle leaving = install("leaving");
        Bundle staying = install("staying");
        Recorder leavingRecorder = new Recorder();
        Recorder stayingRecorder = new Recorder();
        done(service(leaving).connect(uri(endpoint.address().getPort()), leavingRecorder));
        Connection stays = done(service(staying).connect(uri(endpoint.address().getPort()), stayingRecorder));

        leaving.stop();

        assertEquals(CloseStatus.GOING_AWAY, take(serverSawClose));
        assertEquals(CloseStatus.GOING_AWAY, done(leavingRecorder.disconnected).code());
        stays.send("still here");
        assertEquals("still here", take(stayingRecorder.texts));
        assertEquals(1, whiteboard.registry.runtime().clientConnections.length);
    }

    @Test
    void aChangedConfigurationAppliesToNewConnectionsOnly() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        whiteboard.register(echo, ROUTE, "/echo");
        Bundle user = install("user");
        SwitchboardClient service = service(user);
        Recorder before = new Recorder();
        Connection old = done(service.connect(uri(endpoint.address().getPort()), before));

        client.modified(configuration("maxMessageSize", 200));
        assertEquals(1L, settingsApplied());
        Recorder after = new Recorder();
        Connection limited = done(service.connect(uri(endpoint.address().getPort()), after));
        String large = "x".repeat(300);
        old.send(large);
        limited.send(large);

        assertEquals(large, take(before.texts), "the connection opened before keeps its settings");
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, done(after.disconnected).code());
        old.send("still open");
        assertEquals("still open", take(before.texts));
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, take(serverSawClose));

        user.stop(); // closes the connection of the settings before, too
        assertEquals(CloseStatus.GOING_AWAY, done(before.disconnected).code());
        assertEquals(CloseStatus.GOING_AWAY, take(serverSawClose));
    }

    @Test
    void aConfigurationThatCannotBeUsedLeavesTheSettingsAsTheyWere() throws Exception {
        EndpointComponent endpoint = whiteboard.endpoint();
        whiteboard.register(echo, ROUTE, "/echo");
        SwitchboardClient service = service(install("user"));

        client.modified(configuration("tlsTruststore", "/no/such/truststore.p12", "maxMessageSize", 200));
        client.modified(configuration("proxy", "no-port", "maxMessageSize", 200));
        Recorder recorder = new Recorder();
        Connection connection = done(service.connect(uri(endpoint.address().getPort()), recorder));
        connection.send("y".repeat(300));

        assertEquals("y".repeat(300), take(recorder.texts), "the default limit still holds");
        assertEquals(0L, settingsApplied());
        assertThrows(IOException.class, () -> ClientComponent.builder(configuration("tlsTruststore", "/no/such/truststore.p12")));
        assertThrows(IllegalArgumentException.class, () -> ClientComponent.builder(configuration("proxy", "no-port")));
    }

    @Test
    void aReleasedServiceRefusesToConnect() throws Exception {
        whiteboard.endpoint();
        Bundle user = install("user");
        BundleContext context = user.getBundleContext();
        var reference = context.getServiceReference(SwitchboardClient.class);
        SwitchboardClient service = context.getService(reference);
        context.ungetService(reference);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> done(service.connect(URI.create("ws://127.0.0.1:9/echo"), new Recorder())));
        assertInstanceOf(IOException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("released"), failed.getCause().getMessage());
    }

    // ---------------------------------------------------------------- helpers

    /** Installs and starts an empty bundle, whose context gets the service as a real consumer would. */
    private Bundle install(String name) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test." + name);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        Bundle bundle = whiteboard.context.installBundle("test:" + name, new ByteArrayInputStream(jar.toByteArray()));
        bundle.start();
        return bundle;
    }

    private Object settingsApplied() {
        return whiteboard.context.getServiceReference(SwitchboardClient.class).getProperty(CLIENT_SETTINGS_APPLIED);
    }

    private static SwitchboardClient service(Bundle bundle) {
        BundleContext context = bundle.getBundleContext();
        SwitchboardClient service = context.getService(context.getServiceReference(SwitchboardClient.class));
        assertNotNull(service);
        return service;
    }

    private static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/echo");
    }

    /** The client configuration as Declarative Services makes one: each given value, else its default. */
    static ClientConfiguration configuration(Object... settings) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put((String) settings[i], settings[i + 1]);
        }
        return (ClientConfiguration) Proxy.newProxyInstance(ClientConfiguration.class.getClassLoader(),
                new Class<?>[] {ClientConfiguration.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "annotationType" -> ClientConfiguration.class;
                    case "toString" -> "ClientConfiguration " + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    private static <T> T done(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
    }

    private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll(SECONDS, TimeUnit.SECONDS);
        assertNotNull(next, "nothing in time");
        return next;
    }

    /** The client side: what arrives, on which thread, and how it ended. */
    private static final class Recorder implements ConnectionHandler {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();

        @Override
        public void message(Connection connection, String text) {
            threads.add(Thread.currentThread().getName());
            texts.add(text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            disconnected.complete(status);
        }
    }
}

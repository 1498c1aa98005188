package io.switchboard.itests;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The plain-Java server API works inside the framework: the bundles resolve against each other,
 * and a server started from a bundle (the test probe) echoes a message to the JDK's client.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EndpointInOsgiIT extends SwitchboardTestSupport {

    private static final long TIMEOUT_SECONDS = 10;

    /**
     * Each of these bundles exports the package of the same name, at this version: a minor step
     * for each package that gained API (flow control and broadcast, the unsolicited pong, then
     * messages received in parts in api; the shared deflate form, the client's check of a deflate
     * answer, then messages decoded in parts in codec; the
     * client side of the upgrade in handshake; {@code Broadcasts}, then {@code WebSocketClient} in
     * endpoint).
     */
    private static final Map<String, Version> BUNDLES = Map.of(
            "io.switchboard.api", new Version(0, 4, 0), "io.switchboard.codec", new Version(0, 4, 0),
            "io.switchboard.handshake", new Version(0, 2, 0), "io.switchboard.endpoint", new Version(0, 3, 0));

    @Test
    public void bundlesAreActiveAndExportTheirPackagesAtTheirVersion() {
        BUNDLES.forEach((name, version) -> {
            Bundle bundle = installedBundle(name);
            assertEquals(name, Bundle.ACTIVE, bundle.getState());
            assertEquals(name, version, exportedVersion(bundle, name));
        });
    }

    @Test
    public void endpointIsWiredToTheOtherBundles() {
        BundleWiring wiring = installedBundle("io.switchboard.endpoint").adapt(BundleWiring.class);
        for (String name : List.of("io.switchboard.api", "io.switchboard.codec", "io.switchboard.handshake")) {
            assertEquals("provider of " + name, name, providerOf(wiring, name));
        }
    }

    @Test
    public void serverStartedInTheFrameworkEchoesToTheJdkClient() throws Exception {
        // The JDK's client is in java.net.http, which the system bundle exports (from the
        // platform class loader): no boot delegation or extra system packages are needed, neither
        // here nor for the test-support bundle that wraps it.
        exportedVersion(context.getBundle(0), "java.net.http");

        CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, String text) {
                connection.send(text);
            }

            @Override
            public void disconnect(Connection connection, CloseStatus status) {
                disconnected.complete(status);
            }

            @Override
            public void failure(Connection connection, Throwable cause) {
                disconnected.completeExceptionally(cause);
            }
        };
        try (WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .loops(1)
                .route("/echo", echo)
                .start()) {
            JdkWebSocketClient client = JdkWebSocketClient.to(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))
                    .timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).connect();

            String message = "hello from " + context.getBundle(0).getSymbolicName();
            assertEquals(message, client.request(message));

            client.closeAsync(CloseStatus.NORMAL, "done").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("close code the client got back", CloseStatus.NORMAL, client.awaitClose().code());
            assertEquals("close code the handler saw", CloseStatus.NORMAL,
                    disconnected.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).code());
        }
    }

    private static String providerOf(BundleWiring wiring, String packageName) {
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (packageName.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return wire.getProvider().getSymbolicName();
            }
        }
        return null;
    }
}

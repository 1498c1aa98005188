package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.whiteboard.SwitchboardClient;
import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.WhiteboardConstants;
import io.switchboard.whiteboard.runtime.ClientConnectionDTO;

/**
 * The {@link SwitchboardClient} service as a bundle uses it: a bundle installed by the test gets
 * it and connects to two endpoints of the whiteboard (the one whose loops it runs on, and
 * another), a changed {@code io.switchboard.client} configuration applies to its next connections,
 * and stopping the bundle closes its connections with 1001, which the servers' handler sees.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClientServiceIT extends WhiteboardTestSupport {
    /** The server side's connections' ends, by the client's port. (Its route is not /echo, which the echo example serves.) */
    private final Map<Integer, CompletableFuture<Integer>> serverSawEnd = new ConcurrentHashMap<>();
    private final ConnectionHandler echo = new ConnectionHandler() {
        @Override
        public void message(Connection connection, String text) {
            connection.send(text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            serverSawEnd.computeIfAbsent(connection.request().remoteAddress().getPort(), port -> new CompletableFuture<>())
                    .complete(status.code());
        }
    };
    private final List<Bundle> installed = new ArrayList<>();
    private Configuration clientConfiguration;

    @After
    public void uninstall() throws Exception {
        for (Bundle bundle : installed) {
            bundle.uninstall();
        }
        if (clientConfiguration != null) {
            clientConfiguration.delete();
        }
    }

    @Test
    public void aBundleConnectsToTwoEndpointsGetsNewSettingsAndItsConnectionsEndWithIt() throws Exception {
        RunningEndpoint main = endpoint("main");
        RunningEndpoint second = endpoint("second");
        register(echo, "/client-echo");
        Bundle user = install("io.switchboard.itests.client.user");
        SwitchboardClient client = service(user);

        Recorder toMain = new Recorder();
        Recorder toSecond = new Recorder();
        Connection mainConnection = done(client.connect(main.uri("/client-echo"), toMain));
        Connection secondConnection = done(client.connect(second.uri("/client-echo"), toSecond));
        mainConnection.send("to main");
        secondConnection.send("to second");
        assertEquals("to main", take(toMain.texts));
        assertEquals("to second", take(toSecond.texts));

        ClientConnectionDTO[] listed = runtime().clientConnections;
        assertEquals(2, listed.length);
        for (ClientConnectionDTO dto : listed) {
            assertEquals(user.getBundleId(), dto.bundleId);
            URI expected = dto.id == mainConnection.id() ? main.uri("/client-echo") : second.uri("/client-echo");
            assertEquals(expected.toString(), dto.uri);
        }

        // A smaller message limit applies to the next connection; the open ones keep theirs.
        configureClient("maxMessageSize", 200);
        Recorder limited = new Recorder();
        done(client.connect(main.uri("/client-echo"), limited)).send("x".repeat(300));
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, done(limited.disconnected).code());
        mainConnection.send("y".repeat(300));
        assertEquals("y".repeat(300), take(toMain.texts));

        // Stopping the bundle closes what it opened with 1001, on both endpoints.
        user.stop();
        assertEquals(CloseStatus.GOING_AWAY, done(toMain.disconnected).code());
        assertEquals(CloseStatus.GOING_AWAY, done(toSecond.disconnected).code());
        assertEquals(Integer.valueOf(CloseStatus.GOING_AWAY), serverSawEndOf(mainConnection));
        assertEquals(Integer.valueOf(CloseStatus.GOING_AWAY), serverSawEndOf(secondConnection));
        assertEquals(0, runtime().clientConnections.length);
    }

    @Test
    public void eachBundleHasItsOwnConnections() throws Exception {
        RunningEndpoint main = endpoint("own");
        register(echo, "/client-echo");
        Bundle leaving = install("io.switchboard.itests.client.leaving");
        Bundle staying = install("io.switchboard.itests.client.staying");
        Recorder leavingRecorder = new Recorder();
        Recorder stayingRecorder = new Recorder();
        done(service(leaving).connect(main.uri("/client-echo"), leavingRecorder));
        Connection stays = done(service(staying).connect(main.uri("/client-echo"), stayingRecorder));
        assertEquals(1, service(staying).connections().size());

        leaving.stop();

        assertEquals(CloseStatus.GOING_AWAY, done(leavingRecorder.disconnected).code());
        stays.send("still here");
        assertEquals("still here", take(stayingRecorder.texts));
        assertEquals(List.of(stays), service(staying).connections());
    }

    // ---------------------------------------------------------------- helpers

    /** What the server's handler heard of the end of {@code clientConnection}, within the timeout. */
    private Integer serverSawEndOf(Connection clientConnection) throws Exception {
        int port = clientConnection.request().localAddress().getPort();
        CompletableFuture<Integer> end = serverSawEnd.computeIfAbsent(port, any -> new CompletableFuture<>());
        try {
            return end.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server's handler heard no end of the connection from port " + port
                    + " in time; it heard of " + serverSawEnd);
        }
    }

    private io.switchboard.whiteboard.runtime.RuntimeDTO runtime() {
        return context.getService(context.getServiceReference(SwitchboardRuntime.class)).runtime();
    }

    /** Changes the client's configuration and waits until the service says it applied it. */
    private void configureClient(Object... settings) throws Exception {
        if (clientConfiguration == null) {
            clientConfiguration = configurationAdmin().getConfiguration(WhiteboardConstants.CLIENT_PID, "?");
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < settings.length; i += 2) {
            properties.put((String) settings[i], settings[i + 1]);
        }
        CountDownLatch applied = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.MODIFIED) {
                applied.countDown();
            }
        };
        context.addServiceListener(listener, "(objectClass=" + SwitchboardClient.class.getName() + ")");
        try {
            clientConfiguration.update(properties);
            assertTrue("the client did not apply its configuration in time", applied.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
    }

    private ConfigurationAdmin configurationAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    /** Installs and starts a bundle without classes that imports the API: it gets the service as any user would. */
    private Bundle install(String symbolicName) throws Exception {
        Manifest manifest = new Manifest();
        Attributes headers = manifest.getMainAttributes();
        headers.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.putValue("Bundle-ManifestVersion", "2");
        headers.putValue("Bundle-SymbolicName", symbolicName);
        headers.putValue("Import-Package", "io.switchboard.api;version=\"[0.1,1)\",io.switchboard.whiteboard;version=\"[0.2,1)\"");
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        Bundle bundle = context.installBundle("test:" + symbolicName, new ByteArrayInputStream(jar.toByteArray()));
        installed.add(bundle);
        bundle.start();
        return bundle;
    }

    /** The bundle's own instance of the service, got through its context. */
    private static SwitchboardClient service(Bundle bundle) {
        BundleContext context = bundle.getBundleContext();
        SwitchboardClient client = context.getService(context.getServiceReference(SwitchboardClient.class));
        assertNotNull("no SwitchboardClient for " + bundle.getSymbolicName(), client);
        return client;
    }

    private static <T> T done(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("nothing within " + TIMEOUT_SECONDS + " s", next);
        return next;
    }

    /** The client side of a connection: its messages and its end. */
    private static final class Recorder implements ConnectionHandler {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> disconnected = new CompletableFuture<>();

        @Override
        public void message(Connection connection, String text) {
            texts.add(text);
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            disconnected.complete(status);
        }
    }
}

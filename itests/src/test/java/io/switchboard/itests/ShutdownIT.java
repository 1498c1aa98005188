package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

import io.switchboard.api.CloseStatus;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * Taking the whiteboard away closes every connection with 1001 and ends every Switchboard
 * thread: stopping its bundle, or refreshing the endpoint bundle it is wired to (as an update of
 * that bundle does), after which the whiteboard starts again with its endpoints.
 *
 * <p>This class loads no whiteboard or endpoint class (see {@link WhiteboardTestSupport}), so the
 * refresh leaves the test probe alone. The connections go to the echo example's {@code /echo}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShutdownIT extends WhiteboardTestSupport {

    private static final String THREAD_PREFIX = "switchboard-";

    @Test
    public void stoppingTheWhiteboardBundleClosesEveryConnectionWith1001AndEndsEveryThread() throws Exception {
        RunningEndpoint endpoint = endpoint("stopping");
        List<JdkWebSocketClient> clients = echoClients(endpoint, 3);
        assertFalse("the endpoint runs threads named " + THREAD_PREFIX + "…", switchboardThreads().isEmpty());

        Bundle whiteboard = installedBundle("io.switchboard.whiteboard");
        whiteboard.stop();
        try {
            for (JdkWebSocketClient client : clients) {
                assertEquals(CloseStatus.GOING_AWAY, client.awaitClose().code());
            }
            awaitCondition("Switchboard threads still running: " + names(switchboardThreads()),
                    () -> switchboardThreads().isEmpty());
        } finally {
            whiteboard.start();
        }
    }

    @Test
    public void refreshingTheEndpointBundleClosesEveryConnectionWith1001AndStartsTheEndpointAnew() throws Exception {
        RunningEndpoint endpoint = endpoint("refreshing");
        List<JdkWebSocketClient> clients = echoClients(endpoint, 3);
        Set<Thread> threads = switchboardThreads();
        assertFalse("the endpoint runs threads named " + THREAD_PREFIX + "…", threads.isEmpty());

        refresh(installedBundle("io.switchboard.endpoint"));
        for (JdkWebSocketClient client : clients) {
            assertEquals(CloseStatus.GOING_AWAY, client.awaitClose().code());
        }
        awaitCondition("threads of the refreshed endpoint still running: " + names(threads),
                () -> threads.stream().noneMatch(Thread::isAlive));

        int port = portOf(awaitService(endpoint.filter()));
        assertNotEquals("a new listener, on a new free port", endpoint.port(), port);
        RunningEndpoint restarted = new RunningEndpoint(endpoint.name(), endpoint.configuration(), port);
        assertEquals("back", connect(restarted, "/echo").request("back"));
    }

    private List<JdkWebSocketClient> echoClients(RunningEndpoint endpoint, int count) throws Exception {
        List<JdkWebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JdkWebSocketClient client = connect(endpoint, "/echo");
            assertEquals("hello " + i, client.request("hello " + i));
            clients.add(client);
        }
        return clients;
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue("the refresh of " + bundle.getSymbolicName() + " did not end in time",
                refreshed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    private static Set<Thread> switchboardThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(THREAD_PREFIX))
                .collect(Collectors.toSet());
    }

    private static List<String> names(Set<Thread> threads) {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
    }
}

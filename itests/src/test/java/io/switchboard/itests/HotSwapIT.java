package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Handshake;
import io.switchboard.testing.HandshakeRefusedException;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * The hot-swap contract between handler services of one route: the best-ranked takes new
 * connections, a live connection stays with its handler while that is registered, moves to the
 * best one (which adopts it) when it goes away, and moves at once to a handler that opts in.
 * Replies are tagged by the handler that wrote them, so each client sees who served it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends WhiteboardTestSupport {

    @Test
    public void higherRankingTakesNewConnectionsAndAdoptsTheOldOnesWhenTheirHandlerGoes() throws Exception {
        RunningEndpoint endpoint = endpoint("blue-green");
        TaggedHandler a = new TaggedHandler("A");
        ServiceRegistration<ConnectionHandler> registrationA = register(a, "/swap");
        JdkWebSocketClient first = connect(endpoint, "/swap");
        long firstId = a.next("connect");
        assertEquals("A:1", first.request("1"));

        TaggedHandler b = new TaggedHandler("B");
        register(b, "/swap", Constants.SERVICE_RANKING, 10);
        JdkWebSocketClient second = connect(endpoint, "/swap");
        b.next("connect");
        assertEquals("the higher ranking takes new connections", "B:x", second.request("x"));
        assertEquals("a live connection stays with its handler", "A:2", first.request("2"));

        TaggedHandler tie = new TaggedHandler("tie");
        register(tie, "/swap", Constants.SERVICE_RANKING, 10);
        assertEquals("equal ranking: the lower service id wins", "B:y", connect(endpoint, "/swap").request("y"));
        b.next("connect");

        registrationA.unregister();
        assertEquals("B adopts A's connection", firstId, b.next("adopt"));
        assertEquals("B:3", first.request("3"));
        assertEquals("B:4", first.request("4"));
        first.assertOpen();
        assertEquals("B:z", second.request("z"));
        second.assertOpen();
        a.assertNoEvents(); // no disconnect: the connection did not end, it moved
        b.assertNoEvents();
        tie.assertNoEvents();
    }

    /**
     * A handshake whose handler goes away while it validates the request, with no replacement
     * bound: the handshake gets 503 within the swap grace period, and the gone handler is not left
     * with a connection. Once a handler is bound on the route, its handshakes get 101 again.
     *
     * <p>One outcome only: {@code unregister()} tells the endpoint before it returns (the hand-off
     * is queued on every loop), and {@code validate} returns only after that, so the loop learns
     * that the handler is gone before it finishes the handshake.
     */
    @Test
    public void handshakeBeingValidatedWhenItsHandlerGoesWithNoReplacementGets503() throws Exception {
        RunningEndpoint endpoint = endpoint("swap-while-validating", "swapGracePeriodMillis", 60_000L);
        CountDownLatch validating = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        TaggedHandler a = new TaggedHandler("A") {
            @Override
            public void validate(Handshake handshake) {
                validating.countDown();
                try {
                    proceed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServiceRegistration<ConnectionHandler> registrationA =
                register(a, "/validating", WhiteboardConstants.BLOCKING, true);

        CompletableFuture<JdkWebSocketClient> opening = JdkWebSocketClient.to(endpoint.uri("/validating")).connectAsync();
        assertTrue("A's validate was not called", validating.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        // The removal waits for the validate in progress: it returns only once validate has.
        Thread removal = new Thread(registrationA::unregister, "removal of A");
        removal.start();
        assertTrue("the removal returned while A's validate was still running", waitsInHandOff(removal));
        proceed.countDown();
        removal.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        assertTrue("the removal did not return once validate had", !removal.isAlive());

        HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class,
                () -> keep(JdkWebSocketClient.await(opening, JdkWebSocketClient.DEFAULT_TIMEOUT)));
        assertEquals("refused: the handler that validated it is gone and none is bound yet", 503, refused.status());
        a.assertNoEvents(); // no connect: the gone handler got no connection

        TaggedHandler b = new TaggedHandler("B");
        register(b, "/validating");
        assertEquals("a route with a handler answers 101", "B:x", connect(endpoint, "/validating").request("x"));
        b.next("connect");
    }

    @Test
    public void handlerThatOptsInAdoptsTheRoutesLiveConnectionsAtOnce() throws Exception {
        RunningEndpoint endpoint = endpoint("adopt-at-once");
        TaggedHandler a = new TaggedHandler("A");
        register(a, "/adopt");
        JdkWebSocketClient first = connect(endpoint, "/adopt");
        JdkWebSocketClient second = connect(endpoint, "/adopt");
        long firstId = a.next("connect");
        long secondId = a.next("connect");
        assertEquals("A:1", first.request("1"));
        assertEquals("A:1", second.request("1"));

        TaggedHandler lower = new TaggedHandler("lower");
        register(lower, "/adopt", Constants.SERVICE_RANKING, -5, WhiteboardConstants.ADOPT_LIVE_CONNECTIONS, true);
        assertEquals("a lower-ranked handler adopts nothing", "A:2", first.request("2"));
        lower.assertNoEvents();

        TaggedHandler b = new TaggedHandler("B");
        register(b, "/adopt", Constants.SERVICE_RANKING, 5, WhiteboardConstants.ADOPT_LIVE_CONNECTIONS, true);
        long adopted1 = b.next("adopt");
        long adopted2 = b.next("adopt");
        assertEquals("B adopts both live connections", Set.of(firstId, secondId), Set.of(adopted1, adopted2));
        assertEquals("B:3", first.request("3"));
        assertEquals("B:3", second.request("3"));
        first.assertOpen();
        second.assertOpen();
        a.assertNoEvents();
        lower.assertNoEvents();
    }

    @Test
    public void handlerThatOptsInAdoptsAtOnceWhenItBecomesTheBestThroughARankingChange() throws Exception {
        RunningEndpoint endpoint = endpoint("adopt-on-change");
        TaggedHandler a = new TaggedHandler("A");
        register(a, "/promote", Constants.SERVICE_RANKING, 10);
        JdkWebSocketClient client = connect(endpoint, "/promote");
        long id = a.next("connect");

        TaggedHandler b = new TaggedHandler("B");
        ServiceRegistration<ConnectionHandler> registrationB =
                register(b, "/promote", WhiteboardConstants.ADOPT_LIVE_CONNECTIONS, true);
        assertEquals("B is not the best yet", "A:1", client.request("1"));

        Hashtable<String, Object> promoted = new Hashtable<>();
        promoted.put(WhiteboardConstants.ROUTE, "/promote");
        promoted.put(WhiteboardConstants.ADOPT_LIVE_CONNECTIONS, true);
        promoted.put(Constants.SERVICE_RANKING, 20);
        registrationB.setProperties(promoted);
        assertEquals("B became the best for the route, and it opts in to adopting at once", id, b.next("adopt"));
        assertEquals("B:2", client.request("2"));
        client.assertOpen();
    }

    /** True once {@code removal} blocks in the endpoint's hand-off; false if it ends first. */
    private static boolean waitsInHandOff(Thread removal) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (removal.isAlive() && System.nanoTime() < deadline) {
            Thread.State state = removal.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                for (StackTraceElement frame : removal.getStackTrace()) {
                    if (frame.getMethodName().equals("handOff")) {
                        return true;
                    }
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }
}

package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.switchboard.api.CloseStatus;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * Endpoints follow their Configuration Admin factory configurations: one port each, deleting one
 * closes only its connections (1001) and releases its port, and a changed limit applies to the
 * connections accepted from then on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EndpointConfigurationIT extends WhiteboardTestSupport {

    @Test
    public void deletingAConfigurationEndsOnlyItsConnectionsAndReleasesItsPort() throws Exception {
        register(new TaggedHandler("T"), "/config");
        RunningEndpoint alpha = endpoint("alpha");
        RunningEndpoint beta = endpoint("beta");
        assertNotEquals("two endpoints, two ports", alpha.port(), beta.port());
        JdkWebSocketClient onAlpha = connect(alpha, "/config");
        JdkWebSocketClient onBeta = connect(beta, "/config");
        assertEquals("T:a", onAlpha.request("a"));
        assertEquals("T:b", onBeta.request("b"));

        deleteEndpoint(alpha);
        assertEquals(CloseStatus.GOING_AWAY, onAlpha.awaitClose().code());
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", alpha.port())); // throws if the port is still held
        }

        assertEquals("the other endpoint's connection is untouched", "T:still here", onBeta.request("still here"));
        onBeta.assertOpen();
        assertEquals("and it accepts new ones", "T:new", connect(beta, "/config").request("new"));
    }

    @Test
    public void changedMessageLimitAppliesToNewConnections() throws Exception {
        register(new TaggedHandler("T"), "/limits");
        RunningEndpoint endpoint = endpoint("limits");
        JdkWebSocketClient before = connect(endpoint, "/limits");
        String large = "x".repeat(2000);
        assertEquals("T:" + large, before.request(large));

        RunningEndpoint changed = reconfigure(endpoint, "maxMessageSize", 1000);
        assertEquals("a limit change keeps the listener", endpoint.port(), changed.port());
        JdkWebSocketClient after = connect(changed, "/limits");
        String small = "y".repeat(1000);
        assertEquals("T:" + small, after.request(small));
        after.send(large);
        assertEquals(CloseStatus.MESSAGE_TOO_BIG, after.awaitClose().code());

        assertEquals("a connection keeps the limits it was accepted with", "T:" + large, before.request(large));
        before.assertOpen();
    }
}

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
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * Endpoints follow their Configuration Admin factory configurations: one port each, deleting one
 * closes only its connections (1001) and releases its port, a changed limit applies to the
 * connections accepted from then on, and a changed name routes new handshakes to the handlers
 * whose endpoint target it matches.
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

    @Test
    public void renamingAnEndpointRoutesNewHandshakesByTheNewNameAndKeepsLiveConnections() throws Exception {
        RunningEndpoint endpoint = endpoint("rename-me");
        register(new TaggedHandler("old"), "/old-name", WhiteboardConstants.ENDPOINT_TARGET, nameIs("rename-me"));
        register(new TaggedHandler("new"), "/new-name", WhiteboardConstants.ENDPOINT_TARGET, nameIs("renamed"));
        JdkWebSocketClient live = connect(endpoint, "/old-name");
        assertEquals("old:1", live.request("1"));
        assertEquals("no handler targets the endpoint's name yet", 404, refusal(endpoint, "/new-name"));

        RunningEndpoint renamed = reconfigure(endpoint, "name", "renamed");
        assertEquals("a rename keeps the listener", endpoint.port(), renamed.port());
        assertEquals("new:2", connect(renamed, "/new-name").request("2"));
        assertEquals("the old name's handler takes no new connection", 404, refusal(renamed, "/old-name"));
        assertEquals("but keeps its live one", "old:3", live.request("3"));
    }

    private static String nameIs(String name) {
        return "(" + WhiteboardConstants.ENDPOINT_NAME + "=" + name + ")";
    }
}

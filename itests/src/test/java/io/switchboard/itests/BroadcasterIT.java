package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import io.switchboard.api.Broadcaster;
import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.api.Group;
import io.switchboard.testing.JdkWebSocketClient;

/**
 * The whiteboard's {@link Broadcaster} service: there with no endpoint configured, and a handler
 * that knows only the api publishes through it to every connection of a topic; a connection that
 * ends leaves the topic by itself.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BroadcasterIT extends WhiteboardTestSupport {

    @Test
    public void aHandlerPublishesToItsTopicThroughTheService() throws Exception {
        ServiceReference<?> reference = awaitService("(objectClass=" + Broadcaster.class.getName() + ")");
        Broadcaster broadcaster = (Broadcaster) context.getService(reference);
        assertNotNull(broadcaster);
        try {
            Group feed = broadcaster.topic("feed");
            CompletableFuture<Connection> ended = new CompletableFuture<>();
            register(new ConnectionHandler() {
                @Override
                public void connect(Connection connection) {
                    feed.join(connection);
                    connection.send("joined");
                }

                @Override
                public void message(Connection connection, String text) {
                    feed.send(text);
                }

                @Override
                public void disconnect(Connection connection, CloseStatus status) {
                    ended.complete(connection);
                }
            }, "/feed");
            RunningEndpoint endpoint = endpoint("broadcast");

            JdkWebSocketClient first = connect(endpoint, "/feed");
            assertEquals("joined", first.awaitText());
            JdkWebSocketClient second = connect(endpoint, "/feed");
            assertEquals("joined", second.awaitText());
            assertEquals(2, feed.size());

            first.send("to everyone");
            assertEquals("to everyone", first.awaitText());
            assertEquals("to everyone", second.awaitText());

            second.closeAsync(CloseStatus.NORMAL, "").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ended.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, feed.size());
            assertEquals("the same topic for whoever asks", feed, broadcaster.topic("feed"));
        } finally {
            context.ungetService(reference);
        }
    }
}

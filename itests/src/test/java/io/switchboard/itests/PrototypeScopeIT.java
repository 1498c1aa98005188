package io.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * A prototype-scoped handler service gives each connection an instance of its own, and gets
 * each back (ungetService) when its connection ends.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PrototypeScopeIT extends WhiteboardTestSupport {

    @Test
    public void eachConnectionGetsItsOwnInstanceReleasedWhenTheConnectionEnds() throws Exception {
        RunningEndpoint endpoint = endpoint("prototype");
        Instances instances = new Instances();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WhiteboardConstants.ROUTE, "/instance");
        track(context.registerService(ConnectionHandler.class, instances, properties));

        List<JdkWebSocketClient> clients = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JdkWebSocketClient client = connect(endpoint, "/instance");
            clients.add(client);
            String reply = client.request("who");
            tags.add(reply.substring(0, reply.indexOf(':')));
            assertEquals("the same instance serves a connection throughout", reply, client.request("who"));
        }
        assertEquals("distinct instances for three connections: " + tags, 3, tags.size());
        assertEquals("instances created", 3, instances.created.size());

        for (JdkWebSocketClient client : clients) {
            String tag = client.request("who").split(":")[0];
            client.close();
            TaggedHandler released = instances.released.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull("the instance of a closed connection was not released", released);
            assertSame("released the instance of the closed connection", instances.created.get(tag), released);
        }
        assertEquals("instances released once each", 0, instances.released.size());
    }

    @Test
    public void instanceIsReleasedWhenItsConnectionMovesToAnotherHandler() throws Exception {
        RunningEndpoint endpoint = endpoint("prototype-move");
        Instances instances = new Instances();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WhiteboardConstants.ROUTE, "/moving");
        track(context.registerService(ConnectionHandler.class, instances, properties));
        JdkWebSocketClient client = connect(endpoint, "/moving");
        assertEquals("instance-1:1", client.request("1"));

        TaggedHandler adopter = new TaggedHandler("adopter");
        register(adopter, "/moving", Constants.SERVICE_RANKING, 1, WhiteboardConstants.ADOPT_LIVE_CONNECTIONS, true);
        adopter.next("adopt");
        assertSame("the instance of the moved connection is released", instances.created.get("instance-1"),
                instances.released.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("adopter:2", client.request("2"));
        assertEquals("instances created", 1, instances.created.size());
    }

    /** Makes a new tagged handler per getService, and records each ungetService. */
    private static final class Instances implements PrototypeServiceFactory<ConnectionHandler> {
        final ConcurrentMap<String, TaggedHandler> created = new ConcurrentHashMap<>();
        final BlockingQueue<TaggedHandler> released = new LinkedBlockingQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public ConnectionHandler getService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration) {
            TaggedHandler handler = new TaggedHandler("instance-" + count.incrementAndGet());
            created.put(handler.tag, handler);
            return handler;
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration,
                                 ConnectionHandler service) {
            released.add((TaggedHandler) service);
        }
    }
}

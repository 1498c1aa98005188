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
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * A prototype-scoped handler service gives each connection an instance of its own, and gets
 * each back (ungetService) when its connection ends; a service of one object is got once for
 * all its connections and given back after the last.
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

    @Test
    public void aServiceOfOneObjectIsGotForTheFirstConnectionAndLetGoAfterTheLast() throws Exception {
        RunningEndpoint endpoint = endpoint("bundle-scope");
        BundleScoped factory = new BundleScoped();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WhiteboardConstants.ROUTE, "/shared");
        track(context.registerService(ConnectionHandler.class.getName(), factory, properties));

        List<JdkWebSocketClient> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            JdkWebSocketClient client = connect(endpoint, "/shared");
            clients.add(client);
            assertEquals("one object serves every connection", "shared-1:" + i, client.request(String.valueOf(i)));
        }
        TaggedHandler shared = factory.made.get(0);
        for (int i = 0; i < 3; i++) {
            shared.next("connect");
        }
        for (int i = 0; i < 2; i++) {
            clients.get(i).close();
            shared.next("disconnect"); // (the connection lets go of its handler right after)
        }
        assertEquals("still in use by the third connection", "shared-1:4", clients.get(2).request("4"));
        assertEquals("let go while a connection uses it", 0, factory.released.size());
        clients.get(2).close();
        assertEquals("let go after the last connection", "shared-1",
                factory.released.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS).tag);

        JdkWebSocketClient again = connect(endpoint, "/shared");
        assertEquals("got again for a new connection", "shared-2:5", again.request("5"));
        assertEquals("got twice in all", 2, factory.made.size());
        assertEquals("let go once", 0, factory.released.size());
        again.close();
    }

    /** A bundle-scoped service: the framework asks for one object per bundle, and gets it back once unused. */
    private static final class BundleScoped implements ServiceFactory<ConnectionHandler> {
        final List<TaggedHandler> made = new CopyOnWriteArrayList<>();
        final BlockingQueue<TaggedHandler> released = new LinkedBlockingQueue<>();

        @Override
        public ConnectionHandler getService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration) {
            TaggedHandler handler = new TaggedHandler("shared-" + (made.size() + 1));
            made.add(handler);
            return handler;
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<ConnectionHandler> registration,
                                 ConnectionHandler service) {
            released.add((TaggedHandler) service);
        }
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

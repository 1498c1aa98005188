package io.switchboard.whiteboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

import io.switchboard.api.ConnectionHandler;
import io.switchboard.whiteboard.WhiteboardConstants;

/**
 * {@link ServiceBinding} against a real Felix: every acquire pairs with one release, also when
 * connections on several loops open and close the same handler service at the same time (as
 * under the conformance suite, where one case's connection closes as the next one opens).
 */
class ServiceBindingTest {
    private Framework framework;
    private BundleContext context;

    @BeforeEach
    void start() throws Exception {
        framework = Frameworks.start();
        context = framework.getBundleContext();
    }

    @AfterEach
    void stop() throws Exception {
        Frameworks.stop(framework);
    }

    @Test
    void concurrentAcquireAndReleaseOfASingletonAlwaysPairUp() throws Exception {
        ConnectionHandler shared = new ConnectionHandler() {
        };
        ServiceRegistration<ConnectionHandler> registration =
                context.registerService(ConnectionHandler.class, shared, properties());
        ServiceBinding binding = new ServiceBinding(context, registration.getReference());
        List<Throwable> failures = hammer(binding, handler -> assertSame(shared, handler));
        assertEquals(List.of(), failures);
        assertEquals(null, context.getServiceReference(ConnectionHandler.class).getUsingBundles(),
                "every get was released");
    }

    @Test
    void concurrentAcquireAndReleaseOfAPrototypeGiveEachItsOwnInstanceAndReleaseIt() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Map<ConnectionHandler, Boolean> live = new ConcurrentHashMap<>();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        PrototypeServiceFactory<ConnectionHandler> factory = new PrototypeServiceFactory<>() {
            @Override
            public ConnectionHandler getService(org.osgi.framework.Bundle bundle, ServiceRegistration<ConnectionHandler> registration) {
                ConnectionHandler instance = new ConnectionHandler() {
                };
                made.incrementAndGet();
                live.put(instance, true);
                return instance;
            }

            @Override
            public void ungetService(org.osgi.framework.Bundle bundle, ServiceRegistration<ConnectionHandler> registration,
                                     ConnectionHandler service) {
                if (live.remove(service) == null) {
                    errors.add("released twice or never handed out: " + service);
                }
            }
        };
        ServiceRegistration<?> registration = context.registerService(ConnectionHandler.class.getName(), factory, properties());
        @SuppressWarnings("unchecked")
        ServiceBinding binding = new ServiceBinding(context, (ServiceReference<ConnectionHandler>) registration.getReference());
        List<Throwable> failures = hammer(binding, handler -> {
            if (!live.containsKey(handler)) {
                errors.add("handed out an instance that is not live");
            }
        });
        assertEquals(List.of(), failures);
        assertEquals(List.of(), errors);
        assertEquals(Map.of(), live, "every instance was released");
        assertEquals(THREADS * ROUNDS, made.get(), "one instance per acquire");
    }

    private static final int THREADS = 4;
    private static final int ROUNDS = 20_000;

    /** Acquires and releases from several threads at once, as connections on several loops do. */
    private static List<Throwable> hammer(ServiceBinding binding, java.util.function.Consumer<ConnectionHandler> check)
            throws InterruptedException {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < ROUNDS && failures.isEmpty(); i++) {
                        ConnectionHandler handler = binding.acquire();
                        check.accept(handler);
                        binding.release(handler);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return failures;
    }

    private static Hashtable<String, Object> properties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WhiteboardConstants.ROUTE, "/test");
        properties.put(Constants.SERVICE_RANKING, 0);
        return properties;
    }
}

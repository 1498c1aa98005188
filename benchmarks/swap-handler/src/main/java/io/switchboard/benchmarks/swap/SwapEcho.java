package io.switchboard.benchmarks.swap;

import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;

/**
 * The handler of the swap-pause benchmark (S7): an echo on {@value #ROUTE}, registered and
 * unregistered by this bundle's activator, so that the moments of a swap can be told from here: a
 * bundle update calls {@link #stop} of the old version (whose {@code unregister} returns once the
 * whiteboard has handed its connections over, DESIGN.md "Hot swap") and then {@link #start} of the
 * new one. Each prints one line with {@code System.nanoTime()}, which on Linux is the monotonic
 * clock every process of the machine shares, so the benchmark lines these moments up with the
 * load generator's: {@code swap-handler VERSION start|stop KEY=NANOS ...}.
 *
 * <p>The same source serves both ways of updating it. For an in-place update its manifest names no
 * ranking, and the new version simply replaces the old one. For blue/green the benchmark gives the
 * new version's manifest {@value #RANKING_HEADER} and {@value #ADOPT_HEADER} headers, which become
 * the service's {@code service.ranking} and {@code switchboard.adopt}: installed beside the old
 * version, it is then the better handler for the route and takes its live connections at once, as
 * a user's new version would with those two properties.
 *
 * <p>Threading: the framework calls {@code start} and {@code stop} (FileInstall's thread in the
 * launcher); the endpoint's selector loops call the handler callbacks, so the adoption counters are
 * atomic.
 */
public final class SwapEcho implements BundleActivator, ConnectionHandler {
    public static final String ROUTE = "/swap";
    /** Manifest header: the handler service's {@code service.ranking}; none when absent. */
    public static final String RANKING_HEADER = "Swap-Handler-Ranking";
    /** Manifest header: the handler service's {@code switchboard.adopt}; none when absent. */
    public static final String ADOPT_HEADER = "Swap-Handler-Adopt";

    private final AtomicInteger adopted = new AtomicInteger();
    private final AtomicLong firstAdopt = new AtomicLong();
    private final AtomicLong lastAdopt = new AtomicLong();
    private ServiceRegistration<ConnectionHandler> registration;
    private String version;

    @Override
    public void start(BundleContext context) {
        long starting = System.nanoTime();
        version = context.getBundle().getVersion().toString();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("switchboard.route", ROUTE);
        String ranking = context.getBundle().getHeaders().get(RANKING_HEADER);
        if (ranking != null) {
            properties.put(Constants.SERVICE_RANKING, Integer.valueOf(ranking.trim()));
        }
        String adopt = context.getBundle().getHeaders().get(ADOPT_HEADER);
        if (adopt != null) {
            properties.put("switchboard.adopt", Boolean.valueOf(adopt.trim()));
        }
        registration = context.registerService(ConnectionHandler.class, this, properties);
        long registered = System.nanoTime();
        print("start starting=" + starting + " registered=" + registered);
    }

    @Override
    public void stop(BundleContext context) {
        long stopping = System.nanoTime();
        registration.unregister();
        long unregistered = System.nanoTime();
        // The adoptions happened after this version's start; they are told now, when nothing is timed.
        print("stop stopping=" + stopping + " unregistered=" + unregistered + " adopted=" + adopted.get()
                + " firstAdopt=" + firstAdopt.get() + " lastAdopt=" + lastAdopt.get());
    }

    @Override
    public void message(Connection connection, String text) {
        connection.send(text);
    }

    @Override
    public void adopt(Connection connection) {
        long now = System.nanoTime();
        adopted.incrementAndGet();
        firstAdopt.compareAndSet(0, now);
        lastAdopt.accumulateAndGet(now, Math::max);
    }

    private void print(String line) {
        System.out.println("swap-handler " + version + " " + line);
        System.out.flush();
    }
}

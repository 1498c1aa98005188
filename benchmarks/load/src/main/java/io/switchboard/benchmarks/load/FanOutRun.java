package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * S6: connect the subscribers, wait until the server has taken them all in, connect the publisher,
 * then publish as fast as every subscriber keeps up (a window of messages in flight, see
 * {@link Deliveries}); warm up, measure deliveries (messages × subscribers) and the server's CPU
 * time in a window, then stop publishing, let what is in flight arrive, and check that every
 * subscriber received every message published.
 */
final class FanOutRun {
    static final String SUBSCRIBE_PATH = "/fanout";
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final long PUBLISHER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Messages in flight and no delivery for this long: the run has stalled. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Options options;

    FanOutRun(Options options) {
        this.options = options;
    }

    Result run() throws RunFailure {
        Traffic traffic = new Traffic(options, new SplittableRandom().nextInt());
        Deliveries deliveries = new Deliveries(options.connections, options.inFlight);
        try (EventLoop loop = new EventLoop(); ControlClient control = ControlClient.connect(options.controlPort)) {
            ProcessCpu.prime(control);
            Connector connector = new Connector(options, loop, traffic, new EchoStats(), SUBSCRIBE_PATH,
                    id -> new FanOutReceiver(id, traffic.payload, deliveries));
            LoadGenerator.log("S6: opening %d subscribers to %s:%d", options.connections, options.host, options.port);
            connector.openAll(options.connections, CONNECT_TIMEOUT_NANOS);
            if (connector.failed() > 0) {
                throw new RunFailure(connector.failed() + " of " + options.connections + " subscribers failed to connect, "
                        + "the first: " + connector.firstFailure());
            }
            long joined = control.query("subscribers " + options.connections);
            if (joined != options.connections) {
                throw new RunFailure("the server has " + joined + " subscribers, " + options.connections + " connected");
            }
            Publisher publisher = new Publisher(options, traffic, deliveries, loop, options.inFlight);
            publisher.connect(options.sources.next(), new InetSocketAddress(options.host, options.port));
            if (!loop.runUntil(System.nanoTime() + PUBLISHER_TIMEOUT_NANOS, publisher::isOpen, now -> { })) {
                throw new RunFailure("the publisher's handshake did not complete within 10 s");
            }
            LoadGenerator.log("S6: %d subscribers and the publisher open in %.2f s; warm-up %.1f s",
                    connector.opened(), connector.connectNanos() / 1e9, options.warmupSeconds);
            StallCheck stallCheck = new StallCheck(deliveries, loop);
            publisher.start();
            loop.runFor(seconds(options.warmupSeconds), stallCheck::check);

            long serverCpuStart = control.query("cpu");
            long generatorCpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            deliveries.startWindow();
            loop.runFor(seconds(options.durationSeconds), stallCheck::check);
            deliveries.endWindow();
            long wall = System.nanoTime() - start;
            long generatorCpu = ProcessCpu.nanos() - generatorCpuStart;
            long serverCpu = control.query("cpu") - serverCpuStart;

            publisher.stop();
            if (!loop.runUntil(System.nanoTime() + DRAIN_TIMEOUT_NANOS, () -> deliveries.inFlight() == 0, stallCheck::check)) {
                throw new RunFailure("messages still in flight 60 s after publishing stopped");
            }
            checkEverySubscriberHasAll(connector, deliveries.published());
            publisher.close();
            connector.closeAll(CLOSE_TIMEOUT_NANOS);
            if (deliveries.windowDeliveries() == 0) {
                throw new RunFailure("no message was delivered in the measurement window");
            }
            return result(deliveries, wall, serverCpu, generatorCpu);
        } catch (IOException e) {
            throw new RunFailure("I/O failure outside a connection: " + e.getMessage(), e);
        }
    }

    /** Each receiver checked the order; this checks that nothing is missing at the end. */
    private static void checkEverySubscriberHasAll(Connector connector, long published) throws RunFailure {
        for (Connection subscriber : connector.connections()) {
            if (subscriber.echoes() != published) {
                throw new RunFailure("subscriber " + subscriber.id + " received " + subscriber.echoes() + " of the "
                        + published + " messages published");
            }
        }
        LoadGenerator.log("S6: every subscriber received all %d messages, in order", published);
    }

    private Result result(Deliveries deliveries, long wallNanos, long serverCpuNanos, long generatorCpuNanos) {
        long delivered = deliveries.windowDeliveries();
        double seconds = wallNanos / 1e9;
        Result result = new Result(options)
                .put("inFlight", options.inFlight)
                .put("size", options.size)
                .put("deliveriesPerSec", delivered / seconds)
                .put("msgsPerSec", delivered / seconds / options.connections)
                .put("p50us", deliveries.percentileMicros(50))
                .put("p99us", deliveries.percentileMicros(99))
                .put("p999us", deliveries.percentileMicros(99.9))
                .put("serverCpuUsPerDelivery", serverCpuNanos / 1e3 / delivered)
                .put("serverCpuUtil", serverCpuNanos / (double) wallNanos)
                .put("generatorCpuUtil", generatorCpuNanos / (double) wallNanos)
                .put("failedHandshakes", 0)
                .put("deliveries", delivered);
        LoadGenerator.log("S6: %.0f deliveries/s, p50 %.1f us, p99 %.1f us, server CPU %.2f (%.2f us/delivery), "
                        + "generator CPU %.2f", delivered / seconds, deliveries.percentileMicros(50),
                deliveries.percentileMicros(99), serverCpuNanos / (double) wallNanos, serverCpuNanos / 1e3 / delivered,
                generatorCpuNanos / (double) wallNanos);
        return result;
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** Fails the run when messages are in flight and no subscriber has received anything for a while. */
    private static final class StallCheck {
        private final Deliveries deliveries;
        private final EventLoop loop;

        StallCheck(Deliveries deliveries, EventLoop loop) {
            this.deliveries = deliveries;
            this.loop = loop;
        }

        void check(long now) {
            if (deliveries.inFlight() > 0 && now - deliveries.lastDelivery() > STALL_NANOS) {
                loop.abort(new RunFailure("timeout: no delivery for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                        + " s with " + deliveries.inFlight() + " messages in flight; the oldest reached "
                        + deliveries.receivedOldest() + " of the subscribers"));
            }
        }
    }
}

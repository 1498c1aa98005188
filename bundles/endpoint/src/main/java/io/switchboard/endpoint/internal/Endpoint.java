package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.switchboard.api.HttpHandler;
import io.switchboard.endpoint.ConnectionInfo;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.endpoint.Route;
import io.switchboard.endpoint.Router;

/**
 * A running endpoint: the listening socket, the selector loops (the first of which also accepts
 * new connections and spreads them over all of them), and the worker pool for blocking handlers.
 * A client's own loops are an endpoint without a listening socket ({@link #loopsOnly}); outbound
 * connections may run on any endpoint's loops ({@link #nextOutboundLoop}).
 */
public final class Endpoint {
    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
    /** Connections accepted per readiness event, so that a flood of them cannot starve the loop's reads. */
    private static final int ACCEPTS_PER_EVENT = 64;

    private final String name;
    private volatile Settings settings;
    private volatile OriginPolicy originPolicy;
    private final Router router;
    private final HttpHandler httpHandler;
    private final ExecutorService workers;
    /** Runs the TLS engines' delegated tasks off the loops; null for ws. */
    private final Executor tlsTasks;
    /** The pool behind {@link #tlsTasks} when the endpoint made it, which {@link #stop} ends; else null. */
    private final ExecutorService ownTlsTasks;
    private final List<SelectorLoop> loops = new ArrayList<>();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> connectionsPerAddress = new ConcurrentHashMap<>();
    /** Null for an endpoint of loops only. */
    private final ServerSocketChannel listener;
    /** The loop the next accepted connection goes to. Only the accepting loop's thread touches it. */
    private int nextLoop;
    /** The loop the next outbound connection goes to; any thread. */
    private final AtomicInteger nextOutbound = new AtomicInteger();
    /** When this endpoint started, in epoch milliseconds: connections keep their open time relative to it. */
    final long startedAt = System.currentTimeMillis();

    private Endpoint(String name, Settings settings, Router router, HttpHandler httpHandler,
                     ExecutorService workers, boolean listens) throws IOException {
        this.name = name;
        this.settings = settings;
        this.originPolicy = new OriginPolicy(settings.allowedOrigins());
        this.router = router;
        this.httpHandler = httpHandler;
        this.workers = workers;
        TlsSettings tls = settings.tls();
        // One thread per processor: the tasks compute, and a storm of handshakes keeps them all busy.
        this.ownTlsTasks = tls == null || tls.tasks() != null ? null
                : DaemonPools.of("switchboard-tls-" + name, Runtime.getRuntime().availableProcessors());
        this.tlsTasks = tls == null ? null : tls.tasks() != null ? tls.tasks() : ownTlsTasks;
        for (int i = 0; i < settings.loops(); i++) {
            loops.add(new SelectorLoop(this, i));
        }
        this.listener = listens ? ServerSocketChannel.open() : null;
    }

    /** Starts selector loops that accept nothing: the loops of a client of its own. */
    public static Endpoint loopsOnly(String name, Settings settings, ExecutorService workers) throws IOException {
        Endpoint endpoint = new Endpoint(name, settings, path -> Route.NOT_FOUND, null, workers, false);
        endpoint.loops.forEach(SelectorLoop::start);
        return endpoint;
    }

    /** The loop for a new outbound connection: each in turn. Any thread. */
    SelectorLoop nextOutboundLoop() {
        return loops.get(Math.floorMod(nextOutbound.getAndIncrement(), loops.size()));
    }

    /**
     * Binds the port and starts the threads.
     *
     * @param httpHandler answers plain HTTP requests; null for none
     * @param workers     runs the callbacks of blocking handlers; shut down by {@link #stop()}
     */
    public static Endpoint start(String name, Settings settings, Router router, HttpHandler httpHandler,
                                 ExecutorService workers) throws IOException {
        Endpoint endpoint = new Endpoint(name, settings, router, httpHandler, workers, true);
        try {
            endpoint.listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            String host = settings.host();
            endpoint.listener.bind(host == null || host.isEmpty()
                    ? new InetSocketAddress(settings.port())
                    : new InetSocketAddress(host, settings.port()), 1024);
        } catch (IOException e) {
            endpoint.listener.close();
            throw e;
        }
        endpoint.listener.configureBlocking(false);
        endpoint.loops.get(0).listen(endpoint.listener);
        endpoint.loops.forEach(SelectorLoop::start);
        return endpoint;
    }

    public String displayName() {
        return name;
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the endpoint is stopped", e);
        }
    }

    /**
     * Stops accepting, closes every connection with 1001, waits for the closing handshakes up to
     * the close timeout, and releases the port and every thread.
     */
    public void stop() {
        try {
            if (listener != null) {
                listener.close(); // the accepting loop lets the socket go at its next select
            }
            loops.forEach(SelectorLoop::stop);
            long waitMillis = settings.closeTimeout().toMillis() + 1000;
            for (SelectorLoop loop : loops) {
                loop.join(waitMillis);
            }
            workers.shutdown();
            if (ownTlsTasks != null) {
                ownTlsTasks.shutdownNow(); // a handshake still computing belongs to a connection closed by now
            }
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the listening socket", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes every connection away from {@code from}, whose handler is going away: from the return
     * on, no callback goes to any handler instance of {@code from} and every instance is released.
     * Each connection then moves to the binding {@code replacement} names for its path when the
     * move applies (none: it waits with reads paused until {@link #adopt} gives it one or the swap
     * grace period ends), its new handler's {@code adopt} first.
     *
     * <p>Waits until every loop has detached {@code from} and every callback running on it has
     * returned, up to the detach timeout; a connection whose callback is still running then is
     * closed with 1011 and its handler never called again. Called from inside a callback of this
     * endpoint, it cannot wait for that callback: no later one comes.
     */
    public void handOff(HandlerBinding from, Function<String, HandlerBinding> replacement) {
        move(from, loop -> loop.detachmentsFrom(from), (connection, waits) -> {
            if (connection.boundTo() == from && connection.loop().revokes(from)) {
                connection.handlerLost(from); // the removal gave up on this loop: the instance is the framework's
            } else if (connection.boundTo() == from) {
                addIfPending(waits, connection.moveAway(replacement));
            } else {
                connection.adopterRemoved(from, replacement);
            }
        });
    }

    /**
     * Binds connections on {@code path} to {@code to}: those waiting for a handler, or, with
     * {@code everyConnection}, all of them (a handler that adopts its route's live connections
     * at once). As {@link #handOff}, it returns once the handlers it displaced are detached.
     */
    public void adopt(String path, HandlerBinding to, boolean everyConnection) {
        move(null, loop -> new ArrayList<>(), (connection, waits) -> {
            if (path.equals(connection.path())) {
                addIfPending(waits, connection.adoptBy(to, everyConnection));
            }
        });
    }

    private static void addIfPending(List<Detachment> waits, Detachment detachment) {
        if (detachment != null) {
            waits.add(detachment);
        }
    }

    /**
     * On every loop, makes the list of detachments to wait for ({@code begin}), runs {@code each}
     * on every connection (in slices, with the loop's I/O in between), and waits, bounded, for
     * the detachments they start. A loop that does not get to its step in time (a callback keeps
     * it busy) revokes {@code from} until it does: no message goes to its handlers meanwhile.
     */
    private void move(HandlerBinding from, Function<SelectorLoop, List<Detachment>> begin,
                      BiConsumer<WsConnection, List<Detachment>> each) {
        long deadline = System.nanoTime() + settings.detachTimeout().toNanos();
        List<CompletableFuture<List<Detachment>>> steps = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            CompletableFuture<List<Detachment>> done = new CompletableFuture<>();
            if (loop.inLoop()) {
                // From inside a callback on this loop: all at once, and its own detachments cannot be awaited.
                List<Detachment> waits = begin.apply(loop);
                loop.forEachConnection(connection -> each.accept(connection, waits));
                done.complete(List.of());
            } else {
                loop.execute(() -> {
                    List<Detachment> waits = begin.apply(loop);
                    loop.connections().pass(connection -> each.accept(connection, waits), from != null, done, waits);
                });
            }
            steps.add(done);
        }
        WsConnection waitingThread = Callbacks.connectionOfThisThread();
        for (int i = 0; i < steps.size(); i++) {
            List<Detachment> waits = awaitStep(steps.get(i), loops.get(i), from, deadline);
            for (Detachment detachment : waits) {
                if (detachment.connection() != waitingThread) { // a blocking callback that removed its own handler
                    awaitDetached(detachment, deadline);
                }
            }
        }
    }

    private static List<Detachment> awaitStep(CompletableFuture<List<Detachment>> step, SelectorLoop loop,
                                              HandlerBinding from, long deadline) {
        try {
            return step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (from != null) {
                LOG.log(Level.WARNING, loop + " is busy past the detach timeout: " + from + " revoked there");
                loop.revoke(from, true);
                step.thenAccept(late -> {
                    late.forEach(Detachment::expire);
                    loop.revoke(from, false);
                });
            }
            return List.of();
        } catch (ExecutionException e) {
            LOG.log(Level.ERROR, "moving connections on " + loop + " failed", e.getCause());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void awaitDetached(Detachment detachment, long deadline) {
        try {
            detachment.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (!detachment.expire()) {
                detachment.join(); // settling right now: only the release itself is left
            }
            LOG.log(Level.WARNING, detachment.binding + ": a callback on " + detachment.connection()
                    + " did not return within the detach timeout; the connection is closed with 1011");
        } catch (ExecutionException e) {
            // expired by another removal's wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A snapshot of every live connection the endpoint accepted (clients' connections on its loops
     * are their clients' to list); waits for each loop to answer.
     */
    public List<ConnectionInfo> connections() {
        List<CompletableFuture<List<ConnectionInfo>>> answers = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            CompletableFuture<List<ConnectionInfo>> answer = new CompletableFuture<>();
            loop.execute(() -> {
                List<ConnectionInfo> infos = new ArrayList<>();
                loop.forEachConnection(connection -> {
                    ConnectionInfo info = connection.info();
                    if (info != null && !connection.client()) {
                        infos.add(info);
                    }
                });
                answer.complete(infos);
            });
            answers.add(answer);
        }
        List<ConnectionInfo> all = new ArrayList<>();
        for (CompletableFuture<List<ConnectionInfo>> answer : answers) {
            all.addAll(answer.orTimeout(5, TimeUnit.SECONDS).join());
        }
        return all;
    }

    /** Closes the connection with this id, wherever it lives; false if there is none. */
    public boolean close(long connectionId, int code, String reason) {
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            loop.execute(() -> {
                boolean[] found = {false};
                loop.forEachConnection(connection -> {
                    if (connection.id() == connectionId && connection.isOpen()) {
                        connection.close(code, reason);
                        found[0] = true;
                    }
                });
                answer.complete(found[0]);
            });
            answers.add(answer);
        }
        boolean closed = false;
        for (CompletableFuture<Boolean> answer : answers) {
            closed |= answer.orTimeout(5, TimeUnit.SECONDS).join();
        }
        return closed;
    }

    /**
     * Applies new settings to connections accepted from now on. The address and the number of
     * loops cannot change on a running endpoint: that takes a new one.
     */
    public void reconfigure(Settings next) {
        Settings current = settings;
        if (!next.host().equals(current.host()) || next.port() != current.port() || next.loops() != current.loops()) {
            throw new IllegalArgumentException("the address and the loops of a running endpoint cannot change");
        }
        settings = next;
        originPolicy = new OriginPolicy(next.allowedOrigins());
    }

    String name() {
        return name;
    }

    /** Counts a new socket; false if it takes the endpoint or its address past a limit. */
    boolean countConnection(InetAddress address) {
        Settings limits = settings;
        int total = connectionCount.incrementAndGet();
        int fromAddress = connectionsPerAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        return total <= limits.maxConnections() && fromAddress <= limits.maxConnectionsPerAddress();
    }

    void uncountConnection(InetAddress address) {
        connectionCount.decrementAndGet();
        connectionsPerAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    Settings settings() {
        return settings;
    }

    OriginPolicy originPolicy() {
        return originPolicy;
    }

    Router router() {
        return router;
    }

    HttpHandler httpHandler() {
        return httpHandler;
    }

    Executor tlsTasks() {
        return tlsTasks;
    }

    ExecutorService workers() {
        return workers;
    }

    /**
     * Accepts what the listening socket holds, up to a batch, for the accepting loop; each
     * connection goes to the next loop in turn. Accepting on a loop rather than on a thread of its
     * own spares two thread switches per connection, and with one loop, any hand-over at all.
     *
     * @return false if accepting failed, as when file descriptors run out: the caller pauses
     *         before it tries again, since accept would fail at once, again and again
     */
    boolean acceptConnections(SelectorLoop accepting) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (listener.isOpen()) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
                return false;
            }
            if (channel == null) {
                return true;
            }
            SelectorLoop loop = loops.get(nextLoop);
            nextLoop = (nextLoop + 1) % loops.size();
            if (loop == accepting) {
                loop.register(channel);
            } else {
                loop.adopt(channel);
            }
        }
        return true;
    }
}

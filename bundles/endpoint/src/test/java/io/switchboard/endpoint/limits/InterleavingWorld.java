package io.switchboard.endpoint.limits;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.Connection;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;
import io.switchboard.testing.TestKeys;

/**
 * One try of {@link HotSwapInterleavingTest}: a real endpoint over real sockets (TLS or
 * not), a {@link Registry} of probe bindings on one route, clients, and the {@link Ledger}.
 * Steps run one after another on the test thread while the endpoint works on its own threads;
 * a racing step runs a removal and a client's messages at the same time; a pause or a resume
 * comes from the test thread, or from inside a callback (the {@code pause} command). Loop and worker
 * threads see every step as it comes, as they would a user's.
 */
final class InterleavingWorld implements AutoCloseable {
    /** One step of a schedule. */
    interface Step {
        void applyTo(InterleavingWorld world) throws Exception;
    }

    record Register(int ranking, boolean blocking, boolean prototype, boolean adopts) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) {
            world.register(ranking, blocking, prototype, adopts);
        }
    }

    record Unregister(int which) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) {
            world.unregister(which);
        }
    }

    record Connect() implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws IOException {
            world.connect();
        }
    }

    record Send(int client, int count) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.client(client).ifPresent(c -> c.send(count, null));
        }
    }

    /** A message that makes the handler act: close, flood (past the queue's cap), sleepN. */
    record Command(int client, String command) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.client(client).ifPresent(c -> c.send(1, command));
        }
    }

    record PeerClose(int client) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.client(client).ifPresent(ScheduledClient::peerClose);
        }
    }

    /** Another thread hands the client's connection to a new handler object. */
    record SetHandler(int client) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.setHandler(client);
        }
    }

    /** Another thread pauses the client's connection's reading. */
    record Pause(int client) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.pause(client);
        }
    }

    /** Another thread resumes the client's connection's reading. */
    record Resume(int client) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.resume(client);
        }
    }

    /** A removal, and at the same time a client's burst of messages. */
    record Racing(int which, int client, int count) implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.racing(which, client, count);
        }
    }

    /** A round trip on every open client. */
    record Barrier() implements Step {
        @Override
        public void applyTo(InterleavingWorld world) throws Exception {
            world.barrier();
        }
    }

    record Stop() implements Step {
        @Override
        public void applyTo(InterleavingWorld world) {
            world.server.stop();
            world.stopped = true;
        }
    }

    private static final int MAX_CLIENTS = 4;

    final Ledger ledger = new Ledger();
    private final Registry registry = new Registry("/i");
    private final boolean tls;
    private final WebSocketServer server;
    private final List<ProbeBinding> bindings = new ArrayList<>();
    private final List<ScheduledClient> clients = new ArrayList<>();
    /** Handler objects given by setHandler: never registered, never removed. */
    private final ProbeBinding handedTo;
    private final AtomicInteger names = new AtomicInteger();
    private boolean stopped;

    InterleavingWorld(boolean tls, int loops, Duration swapGracePeriod) throws IOException {
        this.tls = tls;
        this.handedTo = new ProbeBinding(ledger, "handed", 0, false, true, false);
        WebSocketServer.Builder builder = Servers.local().loops(loops).router(registry)
                .closeTimeout(Duration.ofSeconds(2))
                .swapGracePeriod(swapGracePeriod)
                .workers(4)
                .sendQueue(16 * 1024, 64 * 1024, 256 * 1024);
        this.server = (tls ? builder.tls(TestKeys.server()) : builder).start();
        registry.serve(server);
    }

    void run(Step step) throws Exception {
        if (!stopped) {
            step.applyTo(this);
        }
    }

    void register(int ranking, boolean blocking, boolean prototype, boolean adopts) {
        ProbeBinding binding = new ProbeBinding(ledger, "b" + names.incrementAndGet(), ranking, blocking, prototype, adopts);
        bindings.add(binding);
        registry.register(binding);
    }

    void unregister(int which) {
        List<ProbeBinding> live = bindings.stream().filter(b -> !b.removalReturned()).toList();
        if (!live.isEmpty()) {
            registry.unregister(live.get(Math.floorMod(which, live.size())));
        }
    }

    void connect() throws IOException {
        if (clients.size() >= MAX_CLIENTS) {
            return;
        }
        RawWebSocketClient raw = tls ? RawWebSocketClient.connectTls(server.port(), TestKeys.client()) : RawWebSocketClient.connect(server.port());
        raw.send(UpgradeRequest.to("/i"));
        RawResponse response = raw.readResponseHead();
        if (response.status() == 101) {
            clients.add(new ScheduledClient("c" + clients.size(), raw));
        } else {
            raw.close();
            if (response.status() != 503 || registry.best() != null) {
                ledger.violation("a handshake got " + response.status() + " with " + registry.best() + " the best handler");
            }
        }
    }

    void setHandler(int client) throws Exception {
        client(client).ifPresent(scheduled -> {
            Connection connection = ledger.connectionOf(scheduled.id);
            if (connection != null) {
                connection.setHandler(handedTo.acquire());
            }
        });
    }

    void pause(int client) throws Exception {
        client(client).ifPresent(scheduled -> {
            Connection connection = ledger.connectionOf(scheduled.id);
            if (connection != null) {
                ledger.pause(connection, 1);
            }
        });
    }

    void resume(int client) throws Exception {
        client(client).ifPresent(scheduled -> {
            Connection connection = ledger.connectionOf(scheduled.id);
            if (connection != null) {
                ledger.resume(connection);
            }
        });
    }

    void racing(int which, int client, int count) throws Exception {
        Thread removal = new Thread(() -> unregister(which), "racing removal");
        removal.start();
        client(client).ifPresent(racer -> racer.send(count, null));
        removal.join();
    }

    void barrier() throws Exception {
        if (registry.best() == null) {
            return; // connections waiting for a handler would not answer
        }
        for (ScheduledClient client : clients) {
            // A paused connection would not answer: it is resumed, also when a pause command ahead of the round trip pauses it.
            client.roundTrip(() -> {
                Connection connection = ledger.connectionOf(client.id);
                if (connection != null && ledger.isPaused(connection)) {
                    ledger.resume(connection);
                }
            });
        }
    }

    interface ClientAction {
        void on(ScheduledClient client) throws Exception;
    }

    /** The client a step names, if there is one: clients are numbered round. */
    Chosen client(int index) {
        return new Chosen(clients.isEmpty() ? null : clients.get(Math.floorMod(index, clients.size())));
    }

    record Chosen(ScheduledClient client) {
        void ifPresent(ClientAction action) throws Exception {
            if (client != null) {
                action.on(client);
            }
        }
    }

    /**
     * Ends the try: a handler for connections still waiting, a round trip on each, the clients
     * close, every binding is removed, the server stops; then what the clients saw is checked.
     */
    List<String> finish() throws Exception {
        if (!stopped) {
            register(-1, false, false, false); // the last resort: waiting connections get it
            barrier();
            for (ScheduledClient client : clients) {
                client.peerClose();
            }
            for (ProbeBinding binding : List.copyOf(bindings)) {
                registry.unregister(binding);
            }
            server.stop();
            stopped = true;
        }
        List<String> found = new ArrayList<>(ledger.violations());
        for (ScheduledClient client : clients) {
            client.awaitEnd(); // the server is stopped: everything it sent is read before the checks
            client.close();
            found.addAll(client.check(true));
        }
        for (ProbeBinding binding : bindings) {
            if (binding.unreleased() > 0) {
                found.add(binding + ": " + binding.unreleased() + " instances never released");
            }
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        server.stop();
        for (ScheduledClient client : clients) {
            client.close();
        }
    }
}

package io.switchboard.endpoint.limits;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;

/**
 * The oracle of the hot-swap contract, kept by the handlers as they are called. Clients send
 * numbered text messages {@code "<client>:<n>"} (a command may follow: {@code ":close"});
 * the ledger checks, at each call:
 * <ul>
 * <li>every message is delivered exactly once and in order (per client);
 * <li>to an instance whose binding's removal has not returned, and that is not released;
 * <li>only after that instance was told of the connection ({@code connect} or {@code adopt});
 * <li>never while another callback of the same connection runs;
 * <li>{@code disconnect} at most once per connection, and nothing after it;
 * <li>no message callback starts on a paused connection: after a pause inside a callback, none
 *     until the resume; after a pause from another thread, at most one (its delivery had begun).
 * </ul>
 * Violations are collected, not thrown: a test asserts that there are none, and sees them all.
 */
final class Ledger {
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    /** Per client: the number of the next message due. */
    private final Map<String, AtomicInteger> next = new ConcurrentHashMap<>();
    /** Per client: its connection, as the handlers see it. */
    private final Map<String, Connection> connectionOf = new ConcurrentHashMap<>();
    /** Per connection: the instance that was told of it last. */
    private final Map<Connection, Probe> holder = new ConcurrentHashMap<>();
    /** Per connection: callbacks running now. */
    private final Map<Connection, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<Connection, CloseStatus> disconnected = new ConcurrentHashMap<>();
    /** Per paused connection: how many more message callbacks may still start. */
    private final Map<Connection, AtomicInteger> paused = new ConcurrentHashMap<>();
    private final AtomicInteger delivered = new AtomicInteger();

    void violation(String what) {
        if (violations.size() < 50) {
            violations.add(what);
        }
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    int delivered() {
        return delivered.get();
    }

    /** How many messages of {@code client} were delivered. */
    int deliveredFrom(String client) {
        AtomicInteger count = next.get(client);
        return count == null ? 0 : count.get();
    }

    /** A callback starts on {@code probe}: the checks every callback must pass. */
    void enter(Probe probe, Connection connection, String callback) {
        if (running.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet() != 1) {
            violation(callback + " on " + probe + " while another callback of " + connection + " runs");
        }
        if (probe.binding.removalReturned()) {
            violation(callback + " on " + probe + " after the removal of " + probe.binding + " returned");
        }
        if (probe.binding.displaced() && callback.startsWith("message")) {
            violation(callback + " on " + probe + " after a binding that adopts at once displaced " + probe.binding);
        }
        if (probe.released()) {
            violation(callback + " on " + probe + " after it was released");
        }
        if (disconnected.containsKey(connection)) {
            violation(callback + " on " + probe + " after " + connection + " was disconnected");
        }
        AtomicInteger mayStill = paused.get(connection);
        if (callback.startsWith("message") && mayStill != null && mayStill.getAndDecrement() <= 0) {
            violation(callback + " on " + probe + " while " + connection + " is paused");
        }
    }

    /**
     * Pauses the connection's reading and notes it, in one step that a resume cannot fall into.
     * Inside a callback of the connection no further message may start ({@code mayStill} 0); from
     * another thread, the one whose delivery had begun may (1). (A message that starts between the
     * return of {@code pauseReading} and the note is not counted: a narrow leniency.) A connection
     * already paused stays as it is, unless this pause is the stricter one.
     */
    void pause(Connection connection, int mayStill) {
        synchronized (paused) {
            connection.pauseReading();
            paused.merge(connection, new AtomicInteger(mayStill), (before, now) -> now.get() < before.get() ? now : before);
        }
    }

    /** Notes that messages may start again, then resumes the connection's reading. */
    void resume(Connection connection) {
        synchronized (paused) {
            paused.remove(connection);
            connection.resumeReading();
        }
    }

    boolean isPaused(Connection connection) {
        return paused.containsKey(connection);
    }

    void exit(Connection connection) {
        running.get(connection).decrementAndGet();
    }

    void told(Probe probe, Connection connection) {
        holder.put(connection, probe);
    }

    /** The connections handlers were told of, in no order. */
    Set<Connection> connections() {
        return Set.copyOf(holder.keySet());
    }

    void message(Probe probe, Connection connection, String text) {
        if (holder.get(connection) != probe) {
            violation("message " + text + " to " + probe + ", which was not told of " + connection
                    + " (the holder is " + holder.get(connection) + ")");
        }
        String[] parts = text.split(":");
        if (parts.length < 2) {
            return; // not a numbered message
        }
        String client = parts[0];
        connectionOf.put(client, connection);
        int number = Integer.parseInt(parts[1]);
        int due = next.computeIfAbsent(client, c -> new AtomicInteger()).getAndIncrement();
        if (number != due) {
            violation("message " + text + " to " + probe + " where " + client + ":" + due + " was due");
        }
        delivered.incrementAndGet();
    }

    void disconnect(Probe probe, Connection connection, CloseStatus status) {
        if (holder.get(connection) != probe) {
            violation("disconnect to " + probe + ", which was not the holder of " + connection);
        }
        if (disconnected.putIfAbsent(connection, status) != null) {
            violation("a second disconnect of " + connection + " to " + probe);
        }
    }

    /** The connection of {@code client}, once one of its messages was delivered; null before. */
    Connection connectionOf(String client) {
        return connectionOf.get(client);
    }

    /** The instance told of {@code connection} last; null before any. */
    Probe holderOf(Connection connection) {
        return holder.get(connection);
    }

    CloseStatus disconnectOf(Connection connection) {
        return disconnected.get(connection);
    }
}

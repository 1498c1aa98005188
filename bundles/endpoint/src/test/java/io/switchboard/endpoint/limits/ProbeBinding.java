package io.switchboard.endpoint.limits;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.endpoint.HandlerBinding;

/**
 * A handler service as the whiteboard would bind it, without OSGi: a singleton or prototype
 * source of {@link Probe}s, inline or blocking, that can be removed. Once its removal returned,
 * it behaves as an unregistered service: acquiring fails, and any call of its instances is a
 * violation. It checks that each instance is released exactly once.
 *
 * <p>Commands, as the last part of a message ({@code "<client>:<n>:<command>"}): {@code close}
 * closes the connection from the handler; {@code pause} pauses its reading; {@code flood} sends 4 MiB at once, past the send
 * queue's cap unless the client reads as fast;
 * {@code fill} sends until the connection is not writable; {@code sleepN} takes N milliseconds;
 * {@code block} waits until {@link #unblock()} (or ten seconds).
 */
final class ProbeBinding implements HandlerBinding {
    final Ledger ledger;
    final String name;
    final int ranking;
    final boolean adopts;
    private final boolean blocking;
    private final boolean prototype;
    private final List<Probe> handedOut = new CopyOnWriteArrayList<>();
    private final AtomicInteger instances = new AtomicInteger();
    private final Probe shared;
    private volatile boolean removalReturned;
    /** A binding that adopts at once took the route's connections: this one gets no further message. */
    private volatile boolean displaced;
    private volatile CountDownLatch gate = new CountDownLatch(1);
    /** When set, validate waits at the gate too. */
    volatile boolean gateValidate;
    /** Set when a validate is waiting at the gate. */
    final CountDownLatch validating = new CountDownLatch(1);
    /** Set when a {@code fill} command has filled the send queue past its high-water mark. */
    final CountDownLatch filled = new CountDownLatch(1);
    /** Set when a {@code block} command is waiting at the gate. */
    final CountDownLatch blocked = new CountDownLatch(1);
    /** How large a flood message is: past the send queue's cap in a few sends. */
    volatile int floodSize = 64 * 1024;
    /** How long each adopt takes (busy, as work on the loop would be): 0, or enough to make a pass span turns. */
    volatile long adoptNanos;
    /** A flood's messages at most: 4 MiB, far past any cap the tests set, unless the client reads it all. */
    private static final int FLOOD_MESSAGES = 64;

    ProbeBinding(Ledger ledger, String name, int ranking, boolean blocking, boolean prototype, boolean adopts) {
        this.ledger = ledger;
        this.name = name;
        this.ranking = ranking;
        this.blocking = blocking;
        this.prototype = prototype;
        this.adopts = adopts;
        this.shared = prototype ? null : new Probe(this, 0);
    }

    @Override
    public Probe acquire() {
        if (removalReturned) {
            throw new IllegalStateException(this + " is unregistered");
        }
        Probe probe = prototype ? new Probe(this, instances.incrementAndGet()) : shared;
        if (prototype) {
            handedOut.add(probe);
        }
        return probe;
    }

    @Override
    public void release(io.switchboard.api.ConnectionHandler handler) {
        Probe probe = (Probe) handler;
        if (probe.binding != this) {
            ledger.violation(probe + " released to " + this);
        }
        if (removalReturned) {
            ledger.violation(probe + " released after the removal of " + this + " returned");
        }
        if (prototype && probe.validating()) { // (a shared instance may validate for another connection)
            ledger.violation(probe + " released while its validate was running");
        }
        if (prototype && !probe.release()) {
            ledger.violation(probe + " released twice");
        }
        synchronized (this) {
            notifyAll(); // for awaitReleased
        }
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    /** The removal returned: the binding is gone, as an unregistered service. */
    void removed() {
        removalReturned = true;
        for (Probe probe : handedOut) {
            if (!probe.released()) {
                ledger.violation(probe + " was not released when the removal of " + this + " returned");
                probe.release(); // the framework releases it now
            }
        }
    }

    boolean removalReturned() {
        return removalReturned;
    }

    boolean displaced() {
        return displaced;
    }

    void displaced(boolean displaced) {
        this.displaced = displaced;
    }

    /** Waits until every prototype instance handed out is released; false if that takes over five seconds. */
    synchronized boolean awaitReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (unreleased() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Prototype instances handed out and not released. */
    long unreleased() {
        return handedOut.stream().filter(probe -> !probe.released()).count();
    }

    void unblock() {
        gate.countDown();
    }

    /** Validate: waits at the gate if asked to. */
    void validate() {
        if (gateValidate) {
            validating.countDown();
            awaitGate();
        }
    }

    private void awaitGate() {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Acts on a command before the probe echoes the message. */
    void beforeAnswer(Connection connection, String text) {
        if (text.endsWith(":close")) {
            connection.close(CloseStatus.NORMAL, "asked to");
        } else if (text.endsWith(":flood")) {
            // Bounded: a client that keeps up with an inline handler's loop could keep it sending forever.
            java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(floodSize);
            for (int sent = 0; sent < FLOOD_MESSAGES && connection.isOpen(); sent++) {
                connection.send(big.duplicate());
            }
        } else if (text.endsWith(":fill")) {
            java.nio.ByteBuffer big = java.nio.ByteBuffer.allocate(floodSize);
            while (connection.isWritable()) {
                connection.send(big.duplicate());
            }
            filled.countDown();
        } else if (text.contains(":sleep")) { // a slow callback: the milliseconds follow
            try {
                Thread.sleep(Integer.parseInt(text.substring(text.indexOf(":sleep") + 6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (text.endsWith(":pause")) {
            ledger.pause(connection, 0);
        } else if (text.endsWith(":block")) {
            blocked.countDown();
            awaitGate();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.switchboard.endpoint.internal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.CloseFrames;
import io.switchboard.endpoint.HandlerBinding;
import io.switchboard.handshake.HttpResponses;

/**
 * Which handler a connection calls, and how it moves to another: the binding it was acquired
 * from, the {@link Callbacks} that call it (inline or on workers), {@code setHandler}, and the
 * hot-swap moves the endpoint makes when a handler service goes or a better one adopts the
 * route's connections. <b>Loop thread only</b>; the handler itself changes on the loop only.
 *
 * <p>A move never calls the old handler after it has started and never calls the new one before
 * the old one's callbacks have returned: it takes the handler away at once (input waits), releases
 * the old instance once the callbacks already submitted to it have returned (the loop tracks the
 * release as a {@link Detachment} so that a removal can wait for it), then binds the replacement
 * its lookup names at that moment and calls its {@code adopt} before any further message.
 */
abstract class ConnectionBinding extends ConnectionFlusher {
    /** Where {@link #acquired} came from; released exactly once, when the connection ends or moves. */
    HandlerBinding binding;
    ConnectionHandler acquired;
    /** Where a move started by {@link #moveAway} goes: looked up when the old handler's callbacks have returned. */
    private Function<String, HandlerBinding> moveTarget;
    Callbacks callbacks;
    /** When the state times out: the end of the handshake, of the closing handshake, of a swap grace period or of a ping's wait. */
    long deadline;

    ConnectionBinding(SelectorLoop loop, Settings settings, Transport transport) {
        super(loop, settings, transport);
    }

    /** Starts or stops reading the socket. */
    abstract void setReading(boolean reading);

    /** Refuses the handshake with a final HTTP answer. */
    abstract void answerAndClose(ByteBuffer response);

    /** The request path; null before the request head is read. */
    abstract String path();

    ConnectionHandler handler() {
        return handler;
    }

    SelectorLoop loop() {
        return loop;
    }

    /** The handshake is accepted: the connection is bound to {@code instance} of {@code openedWith}. */
    final void bindOpened(HandlerBinding openedWith, ConnectionHandler instance) {
        binding = openedWith;
        acquired = instance;
        callbacks = callbacksFor(openedWith);
        handler = instance;
    }

    /**
     * Moves the connection to the handler setHandler named, if no callback is pending (else the
     * end of the pending ones comes back here): its adopt comes before any further message, and
     * a connection that waited for a handler reads again.
     *
     * @return whether it moved the connection (and so resumed its input)
     */
    @Override
    final boolean applyHandoff() {
        if (handoff == null || callbacks == null || state != State.OPEN || is(REBINDING) || !callbacks.idle()) {
            return false; // nothing asked; not open yet; ending; or a move or a callback comes first
        }
        ConnectionHandler next = takeHandoff();
        handler = next;
        set(DETACHED, false);
        callbacks.call((WsConnection) this, next, Callbacks.ADOPT, null);
        resumeInput();
        return true;
    }

    /**
     * The handler paused or resumed reading. A pause takes the read interest off at once (the
     * decoding loop looks at the flag before each message); a resume is a demand like any other,
     * which reads only if no other reason holds input back. Closing ignores the pause: the peer's
     * Close frame must get in.
     */
    @Override
    final void readingPauseChanged() {
        if (!readingPaused) {
            resumeInput();
        } else if (state == State.OPEN) {
            setReading(false);
        }
    }

    /**
     * The handler binding of this connection is going away: from now on no callback goes to its
     * handler; once those already submitted have returned, its instance is released and the
     * connection moves to the binding {@code next} names for its path then (none: it waits with
     * reads paused). An ending connection just lets its handler go.
     *
     * @return what the removal waits for; null if there is nothing to wait for
     */
    final Detachment moveAway(Function<String, HandlerBinding> next) {
        if (binding == null) {
            return null; // not bound: still in the handshake, waiting, or on its way to another
        }
        boolean staysOpen = state == State.OPEN;
        set(REBINDING, staysOpen);
        moveTarget = staysOpen ? next : null;
        handler = null; // nothing more goes to it: input waits, and writable has no one to tell
        return releaseBinding(staysOpen ? this::applyMove : null);
    }

    /**
     * Binds the connection to {@code to} if it waits for a handler, or, with {@code everyConnection},
     * wherever it is bound (a handler that adopts its route's live connections at once).
     */
    final Detachment adoptBy(HandlerBinding to, boolean everyConnection) {
        if (state != State.OPEN) {
            return null;
        }
        if (is(REBINDING)) {
            if (everyConnection) {
                moveTarget = new Adopter(to); // on its way elsewhere: it goes to the newer adopter instead
            }
            return null;
        }
        if (is(DETACHED)) {
            bindTo(to);
            return null;
        }
        return everyConnection && binding != null && binding != to ? moveAway(new Adopter(to)) : null;
    }

    /**
     * The binding {@code from} goes away. A connection on its way to it, as its adopter, goes to
     * {@code replacement} instead (a connection bound to it moves through {@link #moveAway}).
     */
    final void adopterRemoved(HandlerBinding from, Function<String, HandlerBinding> replacement) {
        if (is(REBINDING) && moveTarget instanceof Adopter adopter && adopter.binding == from) {
            moveTarget = replacement;
        }
    }

    /** The target of a move to a binding that adopts the route's connections. */
    private static final class Adopter implements Function<String, HandlerBinding> {
        final HandlerBinding binding;

        Adopter(HandlerBinding binding) {
            this.binding = binding;
        }

        @Override
        public HandlerBinding apply(String path) {
            return binding;
        }
    }

    private void applyMove() {
        set(REBINDING, false);
        Function<String, HandlerBinding> lookup = moveTarget;
        moveTarget = null;
        if (state == State.OPEN) {
            bindTo(lookup.apply(path()));
        }
    }

    /** Binds the connection to {@code next}; with none, or none to be had, it waits for one. */
    final void bindTo(HandlerBinding next) {
        if (next != null) {
            try {
                acquired = next.acquire();
                binding = next;
            } catch (RuntimeException e) {
                // Once, not at every retry of a waiting connection.
                LOG.log(is(DETACHED) ? Level.DEBUG : Level.WARNING, "no handler from " + next + " for " + this + "; waiting for another", e);
            }
        }
        if (binding == null) {
            if (!is(DETACHED)) {
                set(DETACHED, true);
                deadline = System.nanoTime() + settings.swapGracePeriod().toNanos();
            }
            set(PING_OUTSTANDING, false);
            setReading(false);
            return;
        }
        set(DETACHED, false);
        handler = acquired;
        if (binding.blocking() != (callbacks instanceof Callbacks.OnWorkers)) {
            callbacks = callbacksFor(binding);
        }
        callbacks.call((WsConnection) this, handler, Callbacks.ADOPT, null);
        resumeInput();
    }

    /**
     * The handler of {@code gone} was given up past its removal's bound, with a callback still
     * running: the connection ends (1011, or 503 in the handshake) without calling or releasing it.
     */
    final void handlerLost(HandlerBinding gone) {
        if (binding != null && binding != gone) {
            return; // moved on already
        }
        handler = null;
        binding = null;
        acquired = null;
        if (state == State.VALIDATING) {
            answerAndClose(HttpResponses.error(503, "Service Unavailable", List.of()));
        } else if (state == State.OPEN) {
            fail(CloseStatus.INTERNAL_ERROR, "handler removed while a callback was running");
        }
    }

    /** False if the handler's removal gave up on this loop: the message goes nowhere, and the connection ends. */
    final boolean deliverable() {
        if (loop.revokes(binding)) {
            handlerLost(binding);
            return false;
        }
        return true;
    }

    /** The binding this connection is bound to; null while it has none. */
    final HandlerBinding boundTo() {
        return binding;
    }

    @Override
    final void becameWritable() {
        ConnectionHandler current = handler;
        if (current != null) { // while the connection waits for a handler, the next one learns it through adopt
            callbacks.call((WsConnection) this, current, Callbacks.WRITABLE, null);
        }
    }

    private Callbacks callbacksFor(HandlerBinding next) {
        return next.blocking() ? new Callbacks.OnWorkers((WsConnection) this, loop.endpoint.workers()) : Callbacks.INLINE;
    }

    /**
     * Gives the acquired handler back to its binding once the callbacks already submitted to it
     * have returned, then runs {@code then} on the loop. Until then the loop lists the release, so
     * that a removal of the binding waits for it.
     */
    final Detachment releaseBinding(Runnable then) {
        HandlerBinding from = binding;
        ConnectionHandler instance = acquired;
        binding = null;
        acquired = null;
        if (from == null) {
            return null;
        }
        WsConnection self = (WsConnection) this;
        if (!callbacks.deferring(self)) { // the common case: nothing to wait for, nothing to track
            release(from, instance, self);
            if (then != null) {
                then.run();
            }
            return null;
        }
        Detachment detachment = loop.track(new Detachment(from, instance, self, callbacks));
        callbacks.afterPending(self, () -> {
            // Released, then untracked: a removal that looks in between still finds it, done.
            detachment.release();
            loop.untrack(detachment);
            if (then != null) {
                runOnLoop(then);
            }
        });
        return detachment;
    }

    /** Gives a handler instance back, containing the binding's failure. */
    static void release(HandlerBinding from, ConnectionHandler instance, WsConnection connection) {
        try {
            from.release(instance);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "releasing the handler of " + connection + " failed", e);
        }
    }

    /** A handler callback threw: the handler hears of it, then the connection closes with 1011. Any thread. */
    final void callbackFailed(ConnectionHandler failed, Throwable cause) {
        LOG.log(Level.WARNING, "handler " + failed + " failed on connection " + id, cause);
        try {
            failed.failure(this, cause);
        } catch (Throwable again) {
            LOG.log(Level.WARNING, "failure() of handler " + failed + " threw too", again);
        }
        runOnLoop(() -> fail(CloseStatus.INTERNAL_ERROR, "internal error"));
    }

    /**
     * The timer check of a connection left without a handler: once its swap grace period is over,
     * it closes (reads are paused, so idleness means nothing here); until then, a handler may be
     * there that could not be had when it was offered (it went away in between), and the route's
     * best one now, if any, takes the connection.
     */
    final void checkDetached(boolean due) {
        if (due) {
            set(DETACHED, false);
            queueClose(CloseFrames.payload(CloseStatus.GOING_AWAY, "no handler"));
            return;
        }
        HandlerBinding best = loop.endpoint.router().route(path()).binding();
        if (best != null) {
            bindTo(best);
        }
    }
}

package io.switchboard.endpoint.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The completion of the messages a handler sends to one connection in one turn of its loop,
 * which go out in one write: one stage, shared by all their senders, so that a message answered
 * on the loop costs one small object, not a future, a read-only view of it and the relay between
 * them. Read-only to the senders: every method that would complete, cancel or obtrude it throws,
 * so one sender cannot change another's outcome, and {@link #toCompletableFuture} gives a copy.
 * The endpoint settles it ({@link #settle}). Thread-safe, as a {@code CompletableFuture}.
 */
final class SharedCompletion extends CompletableFuture<Void> {

    /** Completes {@code done}, shared or not: a send queue holds both kinds. */
    static void settle(CompletableFuture<Void> done, Throwable failure) {
        if (done instanceof SharedCompletion shared) {
            shared.settle(failure);
        } else if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    private void settle(Throwable failure) {
        if (failure == null) {
            super.complete(null);
        } else {
            super.completeExceptionally(failure);
        }
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("the stage of a sent message is read-only; toCompletableFuture() gives a copy");
    }

    @Override
    public boolean complete(Void value) {
        throw readOnly();
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        throw readOnly();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        throw readOnly();
    }

    @Override
    public void obtrudeValue(Void value) {
        throw readOnly();
    }

    @Override
    public void obtrudeException(Throwable failure) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier, Executor executor) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<Void> orTimeout(long timeout, TimeUnit unit) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
        throw readOnly();
    }

    /** Dependent stages are ordinary futures, each its caller's own. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** A copy that completes as this does, which its caller may complete or cancel on its own. */
    @Override
    public CompletableFuture<Void> toCompletableFuture() {
        return thenApply(same -> same);
    }
}

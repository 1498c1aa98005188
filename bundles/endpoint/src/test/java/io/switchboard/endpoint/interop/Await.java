package io.switchboard.endpoint.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits: a behaviour that does not happen fails the test instead of hanging it. */
public final class Await {
    public static final long SECONDS = 15;

    private Await() {
    }

    public static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(SECONDS, TimeUnit.SECONDS);
        assertNotNull(item, "nothing arrived within " + SECONDS + " s");
        return item;
    }

    public static <T> T done(Future<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get(SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("not done within " + SECONDS + " s", e);
        }
    }

    static void open(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
            fail("latch still at " + latch.getCount() + " after " + SECONDS + " s");
        }
    }
}

package io.switchboard.endpoint.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The endpoint's thread pools: blocking handlers' workers, TLS handshake tasks. Thread-safe. */
public final class DaemonPools {
    private DaemonPools() {
    }

    /**
     * Up to {@code threads} daemon threads named {@code prefix-N}, each ending after 30 s idle:
     * the work comes in bursts (a storm of TLS handshakes after a restart), between which no
     * thread needs to wait. Its owner shuts it down.
     */
    public static ExecutorService of(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

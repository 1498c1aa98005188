package io.switchboard.benchmarks.codec;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads, made the way Netty makes its event-loop threads.
 *
 * <p>Netty's allocators keep their per-thread caches (pooled) and thread-local magazines
 * (adaptive) only on a {@code FastThreadLocalThread} that cleans up after itself, which is what
 * every Netty event loop runs on; on JMH's ordinary threads they fall back to shared, slower
 * paths. Selected in the forked JVM with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=io.switchboard.benchmarks.codec.FastThreadLocalExecutor} (see
 * {@link BenchmarkSettings}), so Netty is measured the way it runs in a server.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {
    /** The constructor JMH's {@code CUSTOM} executor type calls. */
    public FastThreadLocalExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}

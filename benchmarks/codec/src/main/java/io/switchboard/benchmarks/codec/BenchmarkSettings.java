package io.switchboard.benchmarks.codec;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The settings every benchmark here shares (JMH reads these annotations from the superclass).
 *
 * <p>Forked-JVM options: a fixed 1 GiB heap; G1 named explicitly (with one visible CPU the JVM
 * would silently pick Serial); Netty's leak detector off (it samples one buffer in 128 and wraps
 * it to record stack traces: debugging overhead, not codec cost); and benchmark threads that are
 * Netty {@code FastThreadLocalThread}s (see {@link FastThreadLocalExecutor}), so that Netty's
 * allocators use their per-thread caches as they do on an event loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
    "-Dio.netty.leakDetection.level=disabled",
    "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.switchboard.benchmarks.codec.FastThreadLocalExecutor",
})
public abstract class BenchmarkSettings {
}

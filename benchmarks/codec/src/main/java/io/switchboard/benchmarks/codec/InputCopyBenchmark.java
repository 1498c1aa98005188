package io.switchboard.benchmarks.codec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;

/**
 * The baseline both decode benchmarks include: copying the pristine masked frame into a direct
 * input buffer (what a socket read does), and nothing else.
 */
@State(Scope.Thread)
public class InputCopyBenchmark extends BenchmarkSettings {
    @Param({"16", "125", "4096", "65536"})
    public int size;

    private byte[] frame;
    private ByteBuffer input;

    @Setup(Level.Trial)
    public void setUp() {
        frame = Frames.maskedTextFrame(size);
        input = ByteBuffer.allocateDirect(frame.length);
    }

    @Benchmark
    public ByteBuffer copy() {
        ByteBuffer in = input;
        in.clear();
        in.put(frame);
        in.flip();
        return in;
    }
}

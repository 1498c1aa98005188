package io.switchboard.benchmarks.codec;

import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.Opcode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;

/**
 * Server-side encoding of one unmasked TEXT frame with Switchboard's {@link FrameWriter}: the
 * header is written into a reused direct buffer and handed over, with the untouched payload
 * buffer, as the two buffers of a gathering write. The payload is not copied.
 */
@State(Scope.Thread)
public class SwitchboardEncodeBenchmark extends BenchmarkSettings {
    @Param({"16", "125", "4096", "65536"})
    public int size;

    private ByteBuffer header;
    private ByteBuffer payload;
    private ByteBuffer[] gather;

    @Setup(Level.Trial)
    public void setUp() {
        header = ByteBuffer.allocateDirect(FrameWriter.MAX_HEADER_SIZE);
        byte[] text = Frames.text(size);
        payload = ByteBuffer.allocateDirect(size).put(text).flip();
        gather = new ByteBuffer[] {header, payload};
        int expectedHeader = FrameWriter.headerSize(size, false);
        text();
        if (header.remaining() != expectedHeader || (header.get(0) & 0xFF) != 0x81) {
            throw new AssertionError("unexpected header of " + header.remaining() + " bytes");
        }
    }

    @Benchmark
    public ByteBuffer[] text() {
        ByteBuffer h = header;
        h.clear();
        FrameWriter.writeHeader(h, true, false, Opcode.TEXT, payload.rewind().remaining());
        h.flip();
        return gather;
    }
}

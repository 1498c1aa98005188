package io.switchboard.benchmarks.codec;

import io.switchboard.codec.DecoderLimits;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.ProtocolViolation;
import io.switchboard.codec.Role;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Server-side decoding of one whole masked client frame with Switchboard's {@link MessageDecoder}:
 * header parse and checks, unmasking in place, and (text) UTF-8 validation; the payload comes
 * out as a view of the input buffer.
 *
 * <p>Per operation: copy the pristine masked frame into the (direct) input buffer, as a socket
 * read would, because the decoder unmasks in place; then {@code decode} once. The Netty
 * benchmark does the same copy into its input buffer, and {@link InputCopyBenchmark} measures
 * that copy alone.
 */
@State(Scope.Thread)
public class SwitchboardDecodeBenchmark extends BenchmarkSettings {
    @Param({"16", "125", "4096", "65536"})
    public int size;

    /**
     * The byte order of the input buffer, which is the caller's choice: {@code BIG_ENDIAN} is
     * every {@code ByteBuffer}'s default; {@code LITTLE_ENDIAN} is this machine's native order.
     * The decoder unmasks with {@code getLong}/{@code putLong} on the caller's buffer, so the
     * order decides whether every eight bytes are byte-swapped twice.
     */
    @Param({"BIG_ENDIAN", "LITTLE_ENDIAN"})
    public String order;

    private byte[] textFrame;
    private byte[] binaryFrame;
    private ByteBuffer input;
    private MessageDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() throws ProtocolViolation {
        textFrame = Frames.maskedTextFrame(size);
        binaryFrame = Frames.maskedBinaryFrame(size);
        input = ByteBuffer.allocateDirect(Math.max(textFrame.length, binaryFrame.length))
                .order("BIG_ENDIAN".equals(order) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        decoder = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
        check(textFrame, Opcode.TEXT, Frames.text(size));
        check(binaryFrame, Opcode.BINARY, Frames.binary(size));
        checkRejectsInvalidText();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.release();
    }

    @Benchmark
    public void text(Blackhole bh) throws ProtocolViolation {
        decodeOne(textFrame, bh);
    }

    @Benchmark
    public void binary(Blackhole bh) throws ProtocolViolation {
        decodeOne(binaryFrame, bh);
    }

    private void decodeOne(byte[] frame, Blackhole bh) throws ProtocolViolation {
        ByteBuffer in = input;
        in.clear();
        in.put(frame);
        in.flip();
        bh.consume(decoder.decode(in));
        bh.consume(decoder.payload());
    }

    /** Fails the trial unless the decoder really validates text: a lone 0xFF byte must be refused. */
    private void checkRejectsInvalidText() {
        byte[] invalid = Frames.text(size);
        invalid[invalid.length / 2] = (byte) 0xFF;
        MessageDecoder fresh = new MessageDecoder(Role.SERVER, DecoderLimits.DEFAULT, null);
        try {
            fresh.decode(ByteBuffer.wrap(Frames.maskedClientFrame(Opcode.TEXT, invalid)));
            throw new AssertionError("Switchboard accepted invalid UTF-8");
        } catch (ProtocolViolation expected) {
            // refused, as it must be
        } finally {
            fresh.release();
        }
    }

    /** Fails the trial unless decoding gives the expected message and consumes the whole frame. */
    private void check(byte[] frame, int expectedOpcode, byte[] expectedPayload) throws ProtocolViolation {
        input.clear();
        input.put(frame).flip();
        int opcode = decoder.decode(input);
        ByteBuffer payload = decoder.payload();
        byte[] actual = new byte[payload.remaining()];
        payload.duplicate().get(actual);
        if (opcode != expectedOpcode || input.hasRemaining() || !Arrays.equals(actual, expectedPayload)) {
            throw new AssertionError("Switchboard decoded opcode " + opcode + ", " + actual.length
                    + " bytes, " + input.remaining() + " left over");
        }
    }
}

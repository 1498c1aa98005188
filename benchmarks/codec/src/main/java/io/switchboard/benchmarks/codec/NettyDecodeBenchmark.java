package io.switchboard.benchmarks.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.codec.Opcode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Server-side decoding of one whole masked client frame with Netty's
 * {@link WebSocket08FrameDecoder} followed by its {@link Utf8FrameValidator}.
 *
 * <p>In Netty 4.2 the decoder itself does not validate text: {@code withUTF8Validator(true)}
 * only tells {@code WebSocketServerProtocolHandler} to insert a {@link Utf8FrameValidator} into
 * the pipeline after the decoder. This benchmark builds that same pipeline in an
 * {@link EmbeddedChannel} (decoder, validator, a sink), but does not push bytes through the
 * channel: it calls the decoder's {@code decode} directly (through a subclass, as the method is
 * protected) and hands each frame on with {@code ctx.fireChannelRead}, which is what
 * {@code ByteToMessageDecoder} does. That skips the embedded channel's bookkeeping and
 * {@code ByteToMessageDecoder}'s cumulation, so the decoder and validator are measured, not the
 * harness.
 *
 * <p>Per operation: copy the pristine masked frame into the (direct, allocator-made) input buffer,
 * as Switchboard's benchmark does; decode, which allocates a payload buffer, copies the payload
 * into it and unmasks it there, and wraps it in a frame object; validate (text); consume; release
 * the frame.
 */
@State(Scope.Thread)
public class NettyDecodeBenchmark extends BenchmarkSettings {
    @Param({"16", "125", "4096", "65536"})
    public int size;

    @Param({"pooled", "adaptive"})
    public String allocator;

    private byte[] textFrame;
    private byte[] binaryFrame;
    private EmbeddedChannel channel;
    private ExposedDecoder decoder;
    private ChannelHandlerContext decoderContext;
    private Sink sink;
    private ByteBuf input;
    private final List<Object> out = new ArrayList<>(2);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        textFrame = Frames.maskedTextFrame(size);
        binaryFrame = Frames.maskedBinaryFrame(size);
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .maxFramePayloadLength(1 << 20)
                .withUTF8Validator(true)
                .closeOnProtocolViolation(true)
                .build();
        decoder = new ExposedDecoder(config);
        sink = new Sink();
        channel = new EmbeddedChannel(decoder, new Utf8FrameValidator(config.closeOnProtocolViolation()), sink);
        ByteBufAllocator alloc = NettyAllocators.byName(allocator);
        channel.config().setAllocator(alloc);
        decoderContext = channel.pipeline().context(decoder);
        int capacity = Math.max(textFrame.length, binaryFrame.length);
        input = alloc.directBuffer(capacity, capacity);
        check(textFrame, TextWebSocketFrame.class, Frames.text(size));
        check(binaryFrame, BinaryWebSocketFrame.class, Frames.binary(size));
        checkRejectsInvalidText(config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void text(Blackhole bh) throws Exception {
        decodeOne(textFrame, bh);
    }

    @Benchmark
    public void binary(Blackhole bh) throws Exception {
        decodeOne(binaryFrame, bh);
    }

    private void decodeOne(byte[] frame, Blackhole bh) throws Exception {
        ByteBuf in = input;
        in.clear();
        in.writeBytes(frame);
        decoder.decodeFrame(decoderContext, in, out);
        Object decoded = out.get(0);
        out.clear();
        decoderContext.fireChannelRead(decoded); // -> Utf8FrameValidator -> Sink
        WebSocketFrame message = sink.take();
        bh.consume(message.content());
        message.release();
    }

    /** Fails the trial unless decoding and validation give the expected frame, consuming all input. */
    private void check(byte[] frame, Class<?> expectedType, byte[] expectedPayload) throws Exception {
        input.clear();
        input.writeBytes(frame);
        decoder.decodeFrame(decoderContext, input, out);
        if (out.size() != 1) {
            throw new AssertionError("Netty decoded " + out.size() + " frames");
        }
        decoderContext.fireChannelRead(out.remove(0));
        WebSocketFrame message = sink.take();
        try {
            byte[] actual = ByteBufUtil.getBytes(message.content());
            if (!expectedType.isInstance(message) || input.isReadable() || !Arrays.equals(actual, expectedPayload)) {
                throw new AssertionError("Netty decoded " + message + ", " + input.readableBytes() + " left over");
            }
        } finally {
            message.release();
        }
    }

    /** Fails the trial unless this pipeline really validates text: a lone 0xFF byte must be refused. */
    private void checkRejectsInvalidText(WebSocketDecoderConfig config) throws Exception {
        byte[] invalid = Frames.text(size);
        invalid[invalid.length / 2] = (byte) 0xFF;
        ExposedDecoder freshDecoder = new ExposedDecoder(config);
        EmbeddedChannel fresh = new EmbeddedChannel(freshDecoder,
                new Utf8FrameValidator(config.closeOnProtocolViolation()), new Sink());
        ChannelHandlerContext ctx = fresh.pipeline().context(freshDecoder);
        ByteBuf in = Unpooled.wrappedBuffer(Frames.maskedClientFrame(Opcode.TEXT, invalid));
        List<Object> frames = new ArrayList<>();
        boolean rejected = false;
        try {
            freshDecoder.decodeFrame(ctx, in, frames);
            // The validator's exception goes to exceptionCaught, which the embedded channel records.
            ctx.fireChannelRead(frames.get(0));
            fresh.checkException();
        } catch (CorruptedWebSocketFrameException expected) {
            rejected = true;
        } finally {
            in.release();
            fresh.finishAndReleaseAll();
        }
        if (!rejected) {
            throw new AssertionError("Netty accepted invalid UTF-8: its validator is not in the path");
        }
    }

    /** Opens the protected {@code decode} for a direct call. */
    static final class ExposedDecoder extends WebSocket08FrameDecoder {
        ExposedDecoder(WebSocketDecoderConfig config) {
            super(config);
        }

        void decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }

    /** The end of the pipeline: keeps the frame the validator passed on, for the benchmark to take. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        private WebSocketFrame last;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            last = (WebSocketFrame) msg;
        }

        WebSocketFrame take() {
            WebSocketFrame frame = last;
            if (frame == null) {
                throw new AssertionError("the validator passed nothing on");
            }
            last = null;
            return frame;
        }
    }
}

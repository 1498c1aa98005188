package io.switchboard.benchmarks.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;

/**
 * Server-side encoding of one unmasked TEXT frame with Netty's {@link WebSocket08FrameEncoder}
 * (server mode: no mask generator).
 *
 * <p>The encoder sits in an {@link EmbeddedChannel} only to get a context and its allocator; its
 * protected {@code encode} is called directly, skipping {@code MessageToMessageEncoder}'s write
 * path and the channel's outbound buffer. Per operation: wrap the (pooled, direct) payload in a
 * new {@link TextWebSocketFrame}, as an application does; encode, which allocates a header
 * buffer and, for payloads up to 1024 bytes, copies the payload into it (above that it passes
 * the payload on, retained, for a gathering write); consume and release the output buffers and
 * the frame.
 */
@State(Scope.Thread)
public class NettyEncodeBenchmark extends BenchmarkSettings {
    @Param({"16", "125", "4096", "65536"})
    public int size;

    @Param({"pooled", "adaptive"})
    public String allocator;

    private EmbeddedChannel channel;
    private ExposedEncoder encoder;
    private ChannelHandlerContext context;
    private ByteBuf payload;
    private final List<Object> out = new ArrayList<>(2);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        encoder = new ExposedEncoder();
        channel = new EmbeddedChannel(encoder);
        ByteBufAllocator alloc = NettyAllocators.byName(allocator);
        channel.config().setAllocator(alloc);
        context = channel.pipeline().context(encoder);
        byte[] text = Frames.text(size);
        payload = alloc.directBuffer(size, size).writeBytes(text);
        check();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void text(Blackhole bh) throws Exception {
        ByteBuf data = payload;
        data.readerIndex(0);
        WebSocketFrame frame = new TextWebSocketFrame(data.retain());
        encoder.encodeFrame(context, frame, out);
        frame.release();
        List<Object> buffers = out;
        for (int i = 0, n = buffers.size(); i < n; i++) {
            Object buffer = buffers.get(i);
            bh.consume(buffer);
            ReferenceCountUtil.release(buffer);
        }
        buffers.clear();
    }

    /** Fails the trial unless the output is a server frame header (0x81) followed by the payload. */
    private void check() throws Exception {
        payload.readerIndex(0);
        WebSocketFrame frame = new TextWebSocketFrame(payload.retain());
        encoder.encodeFrame(context, frame, out);
        frame.release();
        int total = 0;
        int first = -1;
        for (Object o : out) {
            ByteBuf b = (ByteBuf) o;
            if (first < 0) {
                first = b.getUnsignedByte(b.readerIndex());
            }
            total += b.readableBytes();
            b.release();
        }
        out.clear();
        int headerSize = size <= 125 ? 2 : size <= 0xFFFF ? 4 : 10;
        if (first != 0x81 || total != headerSize + size || payload.refCnt() != 1) {
            throw new AssertionError("Netty encoded " + total + " bytes, first byte " + first
                    + ", payload refCnt " + payload.refCnt());
        }
    }

    /** Opens the protected {@code encode} for a direct call. */
    static final class ExposedEncoder extends WebSocket08FrameEncoder {
        ExposedEncoder() {
            super(false);
        }

        void encodeFrame(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
            encode(ctx, frame, out);
        }
    }
}

package io.switchboard.benchmarks.servers;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Writes each data frame back as it came, continuation frames included, and flushes once per
 * read batch, as Netty's echo examples do. Netty does not join fragments without an aggregator,
 * so a fragmented message goes back fragmented, with the same opcodes. Control frames never get
 * here: the protocol handler answers pings and closes.
 */
final class NettyFrameEcho extends SimpleChannelInboundHandler<WebSocketFrame> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame
                || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame) {
            // The base class releases the frame after this call; the write takes a reference of its own.
            ctx.write(frame.retain());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}

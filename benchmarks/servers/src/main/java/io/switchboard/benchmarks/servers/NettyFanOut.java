package io.switchboard.benchmarks.servers;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Netty's idiom for fan-out: the subscribers in a {@link ChannelGroup}, and each published frame
 * written to the group, which gives every channel a retained duplicate of the one frame (the
 * payload is shared, each channel's encoder writes its own header). As {@link NettyFrameEcho}
 * does, the group is flushed once per read batch of the publisher, so that frames due to one
 * subscriber leave in one write; the void-promise form spares a future per channel.
 *
 * <p>Shared by every channel of the server, all on its one event loop: the methods run on that
 * thread only, the group itself is thread-safe.
 */
@Sharable
final class NettyFanOut extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final AttributeKey<Boolean> PUBLISHER = AttributeKey.valueOf("fan-out publisher");

    private final ChannelGroup group = new DefaultChannelGroup("subscribers", GlobalEventExecutor.INSTANCE);
    private final Subscribers subscribers;

    NettyFanOut(Subscribers subscribers) {
        this.subscribers = subscribers;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof HandshakeComplete handshake) {
            Channel channel = ctx.channel();
            if (handshake.requestUri().startsWith(FanOutServers.PUBLISH_PATH)) {
                channel.attr(PUBLISHER).set(Boolean.TRUE);
            } else {
                // The group drops a channel by itself when it closes.
                group.add(channel);
                subscribers.joined();
                channel.closeFuture().addListener(closed -> subscribers.left());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame && isPublisher(ctx.channel())) {
            // The base class releases the frame after this call; the group releases the reference given here.
            group.write(frame.retain(), ChannelMatchers.all(), true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (isPublisher(ctx.channel())) {
            group.flush();
        }
    }

    private boolean isPublisher(Channel channel) {
        return channel.hasAttr(PUBLISHER);
    }
}

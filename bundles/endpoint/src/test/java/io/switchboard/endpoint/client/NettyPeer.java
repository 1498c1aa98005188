package io.switchboard.endpoint.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.AttributeKey;

import io.switchboard.api.CloseStatus;

/**
 * Netty's side of the interop tests, after its protocol handler (which answers pings, and here
 * passes pongs and closes on) and a frame aggregator (so messages arrive whole): echoes text and
 * binary; "close CODE REASON" closes from Netty, "ping PAYLOAD" pings the client, "fragments A B C"
 * sends one text message in those frames. Records pongs and the close status each connection was
 * given, and answers a client's close with the same status. Runs on the channel's event loop;
 * the records are concurrent collections that the test thread reads.
 */
@ChannelHandler.Sharable
final class NettyPeer extends SimpleChannelInboundHandler<WebSocketFrame> {
    static final BlockingQueue<byte[]> PONGS = new LinkedBlockingQueue<>();
    /** The close status each connection ended with, by the client's port. */
    private static final Map<Integer, CompletableFuture<CloseStatus>> CLOSES = new ConcurrentHashMap<>();
    /** Set on a channel once Netty has sent its close, so that the client's answer is not answered. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("netty-peer-closing");

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            command(context, text.text());
        } else if (frame instanceof BinaryWebSocketFrame) {
            context.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            PONGS.add(ByteBufUtil.getBytes(frame.content()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            int port = ((InetSocketAddress) context.channel().remoteAddress()).getPort();
            closeOf(port).complete(CloseStatus.of(close.statusCode(), close.reasonText()));
            if (context.channel().hasAttr(CLOSING)) {
                context.close(); // the client's answer to Netty's close: the handshake is complete
            } else {
                context.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), close.reasonText()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static void command(ChannelHandlerContext context, String text) {
        String[] words = text.split(" ");
        switch (words[0]) {
            case "close" -> {
                context.channel().attr(CLOSING).set(Boolean.TRUE);
                context.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(words[1]), words[2]));
            }
            case "ping" -> context.writeAndFlush(new PingWebSocketFrame(
                    Unpooled.copiedBuffer(words[1], StandardCharsets.UTF_8)));
            case "fragments" -> {
                context.write(new TextWebSocketFrame(false, 0, words[1]));
                for (int i = 2; i < words.length; i++) {
                    context.write(new ContinuationWebSocketFrame(i == words.length - 1, 0, words[i]));
                }
                context.flush();
            }
            default -> context.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** What Netty was told when the connection from {@code clientPort} closed. */
    static CompletableFuture<CloseStatus> closeOf(int clientPort) {
        return CLOSES.computeIfAbsent(clientPort, port -> new CompletableFuture<>());
    }
}

package io.switchboard.endpoint.client;

import static io.switchboard.endpoint.interop.Await.done;
import static io.switchboard.endpoint.interop.Await.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.endpoint.WebSocketClient;
import io.switchboard.testing.TestKeys;

/**
 * The client against Netty 4.2's WebSocket server over loopback: what
 * {@link PeerServerInteropContract} asks of every server, and wss with a certificate for the URI's
 * host (accepted) and for another (refused). Netty refuses unmasked client frames, as RFC 6455 asks.
 */
class NettyServerInteropTest extends PeerServerInteropContract {
    private static EventLoopGroup loop;
    private static Channel plain;
    private static Channel secure;
    private static Channel otherHost;
    private static SSLContext trustsOtherHost;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SSLContext[] other = TestKeys.forHost("other.example");
        trustsOtherHost = other[1];
        plain = listen(null);
        secure = listen(new JdkSslContext(TestKeys.server(), false, ClientAuth.NONE));
        otherHost = listen(new JdkSslContext(other[0], false, ClientAuth.NONE));
        client = WebSocketClient.builder().maxMessageSize(MAX_MESSAGE).tls(TestKeys.client()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        loop.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    /** A Netty server on a free loopback port: Netty's WebSocket handlers, then {@link NettyPeer}. */
    private static Channel listen(SslContext tls) throws InterruptedException {
        return new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (tls != null) {
                            pipeline.addLast(tls.newHandler(channel.alloc()));
                        }
                        pipeline.addLast(new HttpServerCodec());
                        pipeline.addLast(new HttpObjectAggregator(65_536));
                        // Netty's defaults refuse an offer of server_no_context_takeover; this accepts it.
                        pipeline.addLast(new WebSocketServerExtensionHandler(
                                new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, false, MAX_MESSAGE)));
                        pipeline.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/echo")
                                .subprotocols("b")
                                .allowExtensions(true)
                                .maxFramePayloadLength(MAX_MESSAGE)
                                .dropPongFrames(false)
                                .handleCloseFrames(false)
                                .build()));
                        pipeline.addLast(new WebSocketFrameAggregator(MAX_MESSAGE));
                        pipeline.addLast(new NettyPeer());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    private static URI uri(String scheme, String host, Channel server) {
        return URI.create(scheme + "://" + host + ":" + ((InetSocketAddress) server.localAddress()).getPort() + "/echo");
    }

    @Override
    String peer() {
        return "netty";
    }

    @Override
    URI echo() {
        return uri("ws", "127.0.0.1", plain);
    }

    @Override
    WebSocketClient client() {
        return client;
    }

    @Override
    BlockingQueue<byte[]> peerPongs() {
        return NettyPeer.PONGS;
    }

    @Override
    CompletableFuture<CloseStatus> peerCloseOf(int port) {
        return NettyPeer.closeOf(port);
    }

    @Test
    void wssWithACertificateForTheHostIsAccepted() throws Exception {
        for (String host : List.of("localhost", "127.0.0.1")) {
            Inbox inbox = new Inbox();
            Connection connection = done(client.connect(uri("wss", host, secure), inbox));
            String large = "x".repeat(100_000); // several TLS records each way

            connection.send(large);

            assertEquals(large, take(inbox.texts));
            assertTrue(connection.request().secure());
            connection.close();
            assertEquals(CloseStatus.NORMAL, inbox.awaitDisconnect().code());
        }
    }

    @Test
    void wssWithATrustedCertificateForAnotherHostIsRefused() throws Exception {
        try (WebSocketClient trusting = WebSocketClient.builder().tls(trustsOtherHost).build()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> done(trusting.connect(uri("wss", "localhost", otherHost), new Inbox())));

            SSLHandshakeException refused = assertInstanceOf(SSLHandshakeException.class, failed.getCause());
            assertTrue(String.valueOf(refused.getMessage()).contains("localhost"), refused.getMessage());
            assertTrue(trusting.connections().isEmpty());
        }
    }
}

package io.switchboard.benchmarks.servers;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ResourceLeakDetector;

/**
 * Netty 4.2 on one event-loop thread, which accepts and serves alike, with the pipeline of
 * Netty's own WebSocket examples: HTTP codec, aggregator, [compression], protocol handler, then
 * {@link NettyFrameEcho}, or {@link NettyFanOut} in fan-out mode. The allocator is Netty's default (adaptive in 4.2);
 * {@code -Dio.netty.allocator.type=pooled} selects the classic pooled one.
 */
final class NettyEchoServer implements EchoServer {
    /** What Netty's examples give the aggregator: the handshake request has no body. */
    private static final int MAX_HANDSHAKE_CONTENT = 65536;

    enum Transport { NIO, EPOLL }

    private final Transport transport;
    /** Shared by every channel in fan-out mode; null when echoing. */
    private final NettyFanOut fanOut;

    NettyEchoServer(Transport transport) {
        this(transport, null);
    }

    NettyEchoServer(Transport transport, NettyFanOut fanOut) {
        this.transport = transport;
        this.fanOut = fanOut;
    }

    @Override
    public int start(Options options) throws Exception {
        // Sampling leak detection wraps buffers to record stack traces: debugging cost, off as in Netty's benchmarks.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        SslContext tls = options.tls() ? serverTls(options) : null;
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, ioHandlerFactory());
        Channel listener = new ServerBootstrap()
                .group(loop, loop)
                .channel(serverChannel())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        pipeline(channel, tls, options.deflate());
                    }
                })
                .bind(HOST, options.port())
                .sync()
                .channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private void pipeline(SocketChannel channel, SslContext tls, boolean deflate) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            pipeline.addLast(tls.newHandler(channel.alloc()));
        }
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_CONTENT));
        if (deflate) {
            // Bounded inflation, like every other server's message limit (the no-argument form has none).
            pipeline.addLast(new WebSocketServerCompressionHandler(MAX_MESSAGE_SIZE));
        }
        pipeline.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_MESSAGE_SIZE)
                .allowExtensions(deflate)
                .build()));
        pipeline.addLast(fanOut != null ? fanOut : new NettyFrameEcho());
    }

    private static SslContext serverTls(Options options) throws Exception {
        // The JDK's cipher suites in the JDK's order, as every other server here uses them. Netty's
        // own list puts TLS_AES_128_GCM_SHA256 first where the JDK puts TLS_AES_256_GCM_SHA384, so
        // Netty alone would negotiate the cheaper cipher.
        List<String> jdkCipherSuites = List.of(TlsKeyStore.sslContext(options).getDefaultSSLParameters().getCipherSuites());
        return SslContextBuilder.forServer(TlsKeyStore.keyManagers(options))
                .sslProvider(SslProvider.JDK)
                .ciphers(jdkCipherSuites, IdentityCipherSuiteFilter.INSTANCE)
                .build();
    }

    private IoHandlerFactory ioHandlerFactory() {
        if (transport == Transport.NIO) {
            return NioIoHandler.newFactory();
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is not available", Epoll.unavailabilityCause());
        }
        return EpollIoHandler.newFactory();
    }

    private Class<? extends ServerChannel> serverChannel() {
        return transport == Transport.NIO ? NioServerSocketChannel.class : EpollServerSocketChannel.class;
    }
}

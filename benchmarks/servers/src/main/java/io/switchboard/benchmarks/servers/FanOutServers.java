package io.switchboard.benchmarks.servers;

/**
 * The servers of the fan-out benchmark (S6), started with {@code --fanout}. Every one speaks the
 * same protocol: a connection to {@value #PUBLISH_PATH} is the publisher, a connection to any
 * other path is a subscriber; each binary message the publisher sends goes to every subscriber as
 * a binary message, and nothing goes back to the publisher. Text messages, and whatever a
 * subscriber sends, are ignored. Each server counts its subscribers in {@link Subscribers} once the next
 * message will reach them, which the control port's {@code subscribers N} reports.
 */
final class FanOutServers {
    static final String PUBLISH_PATH = "/publish";

    private FanOutServers() {
    }

    static EchoServer byName(String name, Subscribers subscribers) {
        return switch (name) {
            // A loop over Connection.send: what a handler without the broadcast API writes, framing
            // the message once per subscriber; and the broadcast API, which frames it once for all.
            case "switchboard-loop" -> new SwitchboardFanOutServer(new LoopFanOut(), subscribers);
            case "switchboard-broadcast" -> new SwitchboardFanOutServer(new GroupFanOut(), subscribers);
            case "netty-nio" -> new NettyEchoServer(NettyEchoServer.Transport.NIO, new NettyFanOut(subscribers));
            case "netty-epoll" -> new NettyEchoServer(NettyEchoServer.Transport.EPOLL, new NettyFanOut(subscribers));
            case "jetty" -> new JettyEchoServer(new JettyFanOut(subscribers));
            default -> throw new IllegalArgumentException("no fan-out mode for server " + name);
        };
    }
}

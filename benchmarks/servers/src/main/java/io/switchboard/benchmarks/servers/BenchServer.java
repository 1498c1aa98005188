package io.switchboard.benchmarks.servers;

import java.util.concurrent.CountDownLatch;

/**
 * Starts one echo server by name (or, with {@code --fanout}, one fan-out server: {@link FanOutServers}), prints {@code READY <port>} once it listens, and serves until
 * {@code quit} arrives on the control port. Errors go to stderr; exit status 2 means a bad
 * command line, 1 a server that failed to start.
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        EchoServer server;
        Subscribers subscribers = new Subscribers();
        try {
            options = Options.parse(args);
            server = options.fanOut() ? FanOutServers.byName(options.name(), subscribers) : byName(options.name());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        int port;
        try {
            // The control port first, so that it answers from the moment READY is printed.
            ControlPort.start(options.controlPort(), subscribers);
            port = server.start(options);
        } catch (IllegalArgumentException e) {
            System.err.println(options.name() + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println(options.name() + " failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.out.println("READY " + port);
        System.out.flush();
        // A library may serve on daemon threads only: hold the JVM until quit calls System.exit.
        new CountDownLatch(1).await();
    }

    private static EchoServer byName(String name) {
        return switch (name) {
            case "raw" -> new RawEchoServer();
            case "switchboard" -> new SwitchboardEchoServer();
            case "switchboard-launcher" -> new LauncherEchoServer();
            case "switchboard-jakarta" -> new SwitchboardJakartaEchoServer(false);
            case "switchboard-jakarta-blocking" -> new SwitchboardJakartaEchoServer(true);
            case "jetty-jakarta" -> new JettyJakartaEchoServer();
            case "netty-nio" -> new NettyEchoServer(NettyEchoServer.Transport.NIO);
            case "netty-epoll" -> new NettyEchoServer(NettyEchoServer.Transport.EPOLL);
            case "jetty" -> new JettyEchoServer();
            case "java-websocket" -> new JavaWebSocketEchoServer();
            case "undertow" -> new UndertowEchoServer();
            default -> throw new IllegalArgumentException("unknown server " + name);
        };
    }
}

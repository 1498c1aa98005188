package io.switchboard.benchmarks.servers;

import java.nio.file.Path;

/**
 * The command line of {@link BenchServer}:
 * {@code <name> --port P --control-port C [--tls <pkcs12 keystore> --tls-password <pw>] [--deflate] [--fanout]}.
 *
 * @param tlsKeyStore the PKCS12 keystore to serve TLS with; null for plain TCP
 * @param fanOut serve the fan-out benchmark (S6) instead of echoing: see {@link FanOutServers}
 */
record Options(String name, int port, int controlPort, Path tlsKeyStore, String tlsPassword, boolean deflate,
        boolean fanOut) {

    static final String USAGE = "usage: BenchServer <raw|switchboard|netty-nio|netty-epoll|jetty|java-websocket|undertow"
            + "|switchboard-jakarta|switchboard-jakarta-blocking|jetty-jakarta>"
            + " --port P --control-port C [--tls <pkcs12 keystore> --tls-password <pw>] [--deflate]\n"
            + "       BenchServer <switchboard-loop|netty-nio|netty-epoll|jetty> --port P --control-port C --fanout";

    boolean tls() {
        return tlsKeyStore != null;
    }

    /** @throws IllegalArgumentException with a message for the user if the line is malformed */
    static Options parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("the server name comes first");
        }
        Integer port = null;
        Integer controlPort = null;
        Path tlsKeyStore = null;
        String tlsPassword = null;
        boolean deflate = false;
        boolean fanOut = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = portNumber(args, ++i);
                case "--control-port" -> controlPort = portNumber(args, ++i);
                case "--tls" -> tlsKeyStore = Path.of(value(args, ++i));
                case "--tls-password" -> tlsPassword = value(args, ++i);
                case "--deflate" -> deflate = true;
                case "--fanout" -> fanOut = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (port == null || controlPort == null) {
            throw new IllegalArgumentException("--port and --control-port are required");
        }
        if ((tlsKeyStore == null) != (tlsPassword == null)) {
            throw new IllegalArgumentException("--tls and --tls-password go together");
        }
        if (fanOut && (tlsKeyStore != null || deflate)) {
            throw new IllegalArgumentException("--fanout serves plain WebSocket only: no --tls or --deflate");
        }
        return new Options(args[0], port, controlPort, tlsKeyStore, tlsPassword, deflate, fanOut);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static int portNumber(String[] args, int index) {
        String value = value(args, index);
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(args[index - 1] + " needs a port number, not " + value);
    }
}

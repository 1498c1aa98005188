package io.switchboard.launcher;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.examples.echo.EchoHandler;

/**
 * {@code ./switchboard [--port N] [--host H]}: serves the echo example on {@code /echo} until
 * interrupted, then stops gracefully (clients get 1001).
 */
public final class Main {
    private static final int DEFAULT_PORT = 8080;

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: switchboard [--port N] [--host ADDRESS]");
            System.exit(2);
            return;
        }
        WebSocketServer server = WebSocketServer.builder()
                .name("default")
                .host(options.host())
                .port(options.port())
                .route("/echo", new EchoHandler())
                .start();
        String shown = options.host().isEmpty() ? "localhost" : options.host();
        System.out.println("Switchboard is listening on port " + server.port());
        System.out.println("  echo: ws://" + shown + ":" + server.port() + "/echo");
        System.out.println("Press Ctrl-C to stop.");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            System.out.println("Switchboard stopped.");
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
    }

    /** The command line: {@code --port N} and {@code --host ADDRESS}, each optional. */
    record Options(String host, int port) {
        static Options parse(String[] args) {
            String host = "";
            int port = DEFAULT_PORT;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--port" -> port = parsePort(value);
                    case "--host" -> host = require(value, "--host");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(host, port);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(require(value, "--port"));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port needs a port number, 0 to 65535, not " + value);
            }
        }

        private static String require(String value, String option) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}

package io.switchboard.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code ./switchboard [--port N] [--host H] [--shell]}: starts the Switchboard bundles and the
 * examples in an embedded Apache Felix with one endpoint, the {@code default} configuration, and
 * serves until interrupted. On Ctrl-C or SIGTERM it stops the framework, so every client gets 1001
 * and the port is released, and exits 0. With {@code --shell} it then opens a Gogo console
 * ({@link GogoShell}), and leaving the console stops the same way.
 */
public final class Main {
    private static final int DEFAULT_PORT = 8080;

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, URISyntaxException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: switchboard [--port N] [--host ADDRESS] [--shell]");
            System.exit(2);
            return;
        }
        Path home = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        EmbeddedSwitchboard switchboard = new EmbeddedSwitchboard(home.resolve("bundles"));
        Thread shutdown = new Thread(() -> {
            boolean wasServing = switchboard.serving();
            switchboard.stop();
            if (wasServing) {
                System.out.println("Switchboard stopped.");
                System.out.flush();
                // A clean stop on a signal is a success; the JVM would otherwise exit 130 or 143.
                Runtime.getRuntime().halt(0);
            }
        }, "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        int port;
        try {
            port = switchboard.start(options.host(), options.port());
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            switchboard.stop();
            System.exit(1);
            return;
        }
        String shown = options.host().isEmpty() || options.host().equals("0.0.0.0") ? "localhost"
                : options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        System.out.println("Switchboard is listening on port " + port);
        if (switchboard.hasBundle(EmbeddedSwitchboard.CHAT_BUNDLE)) {
            System.out.println("  chat: http://" + shown + ":" + port + "/");
        }
        System.out.println("  echo: ws://" + shown + ":" + port + "/echo");
        if (options.shell()) {
            GogoShell.serve(switchboard, home.resolve("shell"));
            return;
        }
        System.out.println("Press Ctrl-C to stop.");
        switchboard.awaitStop();
    }

    /** The command line: {@code --port N}, {@code --host ADDRESS} and {@code --shell}, each optional. */
    record Options(String host, int port, boolean shell) {
        static Options parse(String[] args) {
            String host = "";
            int port = DEFAULT_PORT;
            boolean shell = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--shell" -> {
                        shell = true;
                        continue; // a flag, with no value to skip
                    }
                    case "--port" -> port = parsePort(value);
                    case "--host" -> host = require(value, "--host");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(host, port, shell);
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

package io.switchboard.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code ./switchboard [--port N] [--host H] [--deploy DIR] [--etc DIR] [--shell]}: starts the
 * Switchboard bundles and the examples in an embedded Apache Felix, with the bundles in the deploy
 * folder and an endpoint per configuration file in the etc folder (the {@code default} one written
 * on the first start), and serves until interrupted. On Ctrl-C or SIGTERM it stops the framework,
 * so every client gets 1001 and the ports are released, and exits 0. With {@code --shell} it then
 * opens a Gogo console ({@link GogoShell}), and leaving the console stops the same way.
 */
public final class Main {
    private static final String USAGE = "usage: switchboard [--port N] [--host ADDRESS] [--deploy DIR] [--etc DIR] [--shell]";

    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, URISyntaxException {
        // One line per log record (the JDK's default takes two), for the whiteboard's warnings.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Path home = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        DevFolders folders = new DevFolders(options.deploy(), options.etc());
        System.out.println("Bundles: " + folders.deploy() + " (a jar dropped in is installed, replaced: updated, deleted: uninstalled)");
        System.out.println("Configuration: " + folders.etc() + " (io.switchboard.endpoint-NAME.cfg: one endpoint each)");
        EmbeddedSwitchboard switchboard = new EmbeddedSwitchboard(home.resolve("bundles"), folders);
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

        EmbeddedSwitchboard.Listening listening;
        try {
            listening = switchboard.start(options.host(), options.port());
        } catch (StartupException e) {
            System.err.println(e.getMessage());
            switchboard.stop();
            System.exit(1);
            return;
        }
        String shown = EndpointAnnouncer.shownHost(listening.host());
        int port = listening.port();
        System.out.println("Switchboard is listening on port " + port);
        if (switchboard.hasBundle(EmbeddedSwitchboard.CHAT_BUNDLE)) {
            System.out.println("  chat: http://" + shown + ":" + port + "/");
        }
        if (switchboard.hasBundle(EmbeddedSwitchboard.JAKARTA_CHAT_BUNDLE)) {
            System.out.println("  Jakarta chat: http://" + shown + ":" + port + "/jakarta-chat");
        }
        System.out.println("  echo: ws://" + shown + ":" + port + "/echo");
        System.out.println("  echo page: http://" + shown + ":" + port + "/echo");
        if (options.shell()) {
            GogoShell.serve(switchboard, home.resolve("shell"));
            return;
        }
        System.out.println("Press Ctrl-C to stop.");
        switchboard.awaitStop();
    }

    /**
     * The command line, each option optional: {@code --port N} and {@code --host ADDRESS} (null
     * when absent: the default endpoint's file decides), {@code --deploy DIR} and {@code --etc DIR}
     * (by default {@code deploy} and {@code etc} in the working directory), and {@code --shell}.
     */
    record Options(String host, Integer port, Path deploy, Path etc, boolean shell) {
        static Options parse(String[] args) {
            String host = null;
            Integer port = null;
            Path deploy = Path.of("deploy");
            Path etc = Path.of("etc");
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
                    case "--deploy" -> deploy = Path.of(require(value, "--deploy"));
                    case "--etc" -> etc = Path.of(require(value, "--etc"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(host, port, deploy, etc, shell);
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

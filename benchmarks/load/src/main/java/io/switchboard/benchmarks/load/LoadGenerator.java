package io.switchboard.benchmarks.load;

import java.util.Locale;

/**
 * Entry point of the load generator: runs one scenario against one echo server and prints one
 * JSON line. Exits 0 with a result, 1 when the run failed, 2 on a bad command line, 3 when the
 * watchdog stopped a run that overran every timeout.
 */
public final class LoadGenerator {
    /** Beyond warm-up and measurement: connecting, closing and control commands, all bounded. */
    private static final long WATCHDOG_MARGIN_SECONDS = 300;

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        startWatchdog(options);
        try {
            Result result = switch (options.scenario) {
                case S4 -> new HandshakeRun(options).run();
                case S6 -> new FanOutRun(options).run();
                case S7 -> new SwapRun(options).run();
                default -> options.clientGenerator ? new ClientEchoRun(options).run() : new EchoRun(options).run();
            };
            System.out.println(result.toJson());
            System.out.flush();
            System.exit(0);
        } catch (RunFailure e) {
            System.err.println("load: run failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static void log(String format, Object... args) {
        System.err.println("load: " + String.format(Locale.ROOT, format, args));
    }

    /** Every wait in a run has its own timeout; this is the backstop that guarantees the process ends. */
    private static void startWatchdog(Options options) {
        long limitMillis = (long) ((options.warmupSeconds + options.durationSeconds + WATCHDOG_MARGIN_SECONDS) * 1000);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limitMillis);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("load: run failed: timeout: the run exceeded " + limitMillis / 1000 + " s");
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}

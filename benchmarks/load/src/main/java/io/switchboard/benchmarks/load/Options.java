package io.switchboard.benchmarks.load;

import java.nio.file.Path;
import java.util.Locale;

/** The parsed command line: the scenario's defaults with the flags that override them. */
final class Options implements Cloneable {
    static final String USAGE = String.join("\n",
            "usage: java -jar load.jar --scenario S1|S2|S3|S4|S6|S7 --port P [--control-port C] [options]",
            "  --control-port C      the server's control port (CPU, heap); every scenario but S7 needs it",
            "  --host H              server address (default 127.0.0.1)",
            "  --tls                 TLS (trusts any certificate; --tls-protocol, default TLSv1.3)",
            "  --deflate             offer permessage-deflate; client_no_context_takeover and require it",
            "  --generator G         hand (the default: this generator's own connections and loop) or",
            "                        client (Switchboard's WebSocketClient on one loop of its own; S1 to S3)",
            "  --raw                 the server is a raw TCP echo: accept any response head",
            "  --warmup SECONDS      traffic before the measurement window; S4: rounds of opening and",
            "                        closing all connections before the rate is measured (default 3)",
            "  --warm-generator-port P  S4 cold: first open and close all connections against this other",
            "                        server for --warmup seconds, so that the generator is warm and the",
            "                        server under test cold; the heap round then gives the rate",
            "  --duration SECONDS    the measurement window (default 5); S4: rounds of opening and closing",
            "                        all connections, timed, until it has passed",
            "  --connections N       (S1 100, S2 1000, S3 4, S4 10000, S7 10000); S6: subscribers (1000)",
            "  --in-flight N         messages in flight per connection (S1 1, S2 16, S3 1); S6: messages",
            "                        published and not yet received by every subscriber (8); S7: at most",
            "                        unanswered per connection, beyond which its sends are skipped (64)",
            "  --size BYTES          payload size (S1 64, S2 64, S3 1048576, S6 64, S7 32; S6 at least 16,",
            "                        S7 at least 4)",
            "  --text | --binary     message type (S1 text, S2 and S3 binary)",
            "  --sources FIRST-LAST  local addresses to bind, round-robin (default 127.0.0.2-127.0.0.200);",
            "                        they must reach --host: give a local interface's address for a remote host",
            "  --pace-ms N           S7: each connection sends one message every N ms, phases spread (100)",
            "  --swap-jar FILE       S7: the handler bundle's new version, moved into the deploy folder of",
            "  --deploy-jar FILE     the deployed jar in the second window; without them no swap",
            "  --swap-variant V      S7: in-place (over --deploy-jar: the bundle is updated) or blue-green",
            "                        (beside it under --swap-jar's name: a second bundle; the old jar is",
            "                        left for the caller to delete) (default in-place)",
            "  --rehearse-jar FILE   S7: another new version, dropped as the measured one is (same variant)",
            "                        halfway through the warm-up, so that the measured swap is not the",
            "                        server's first (the JIT has compiled the paths a swap takes)",
            "Prints one JSON object on stdout; progress and errors go to stderr.");

    Scenario scenario;
    String host = "127.0.0.1";
    int port = -1;
    int controlPort = -1;
    boolean tls;
    String tlsProtocol = "TLSv1.3";
    boolean deflate;
    boolean raw;
    /** Whether WebSocketClient generates the load instead of this generator's own connections. */
    boolean clientGenerator;
    double warmupSeconds = 3;
    /** S4 cold: a second server to warm the generator on; -1 if none. */
    int warmGeneratorPort = -1;
    double durationSeconds = 5;
    int connections;
    int inFlight;
    int size;
    boolean text;
    SourceAddresses sources = SourceAddresses.parse("127.0.0.2-127.0.0.200");
    int paceMillis = 100;
    Path swapJar;
    Path deployJar;
    SwapDrop.Variant swapVariant = SwapDrop.Variant.IN_PLACE;
    Path rehearseJar;
    /** S7: the server's process, whose heap is settled (a full collection) after the warm-up; -1 if none. */
    long settlePid = -1;

    static Options parse(String[] args) {
        Options options = new Options();
        Integer connections = null;
        Integer inFlight = null;
        Integer size = null;
        Boolean text = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--scenario" -> options.scenario = Scenario.valueOf(value(args, ++i, flag).toUpperCase(Locale.ROOT));
                case "--host" -> options.host = value(args, ++i, flag);
                case "--port" -> options.port = intValue(args, ++i, flag);
                case "--control-port" -> options.controlPort = intValue(args, ++i, flag);
                case "--tls" -> options.tls = true;
                case "--tls-protocol" -> options.tlsProtocol = value(args, ++i, flag);
                case "--deflate" -> options.deflate = true;
                case "--raw" -> options.raw = true;
                case "--generator" -> options.clientGenerator = generator(value(args, ++i, flag));
                case "--warmup" -> options.warmupSeconds = Double.parseDouble(value(args, ++i, flag));
                case "--warm-generator-port" -> options.warmGeneratorPort = intValue(args, ++i, flag);
                case "--duration" -> options.durationSeconds = Double.parseDouble(value(args, ++i, flag));
                case "--connections" -> connections = intValue(args, ++i, flag);
                case "--in-flight" -> inFlight = intValue(args, ++i, flag);
                case "--size" -> size = intValue(args, ++i, flag);
                case "--text" -> text = true;
                case "--binary" -> text = false;
                case "--sources" -> options.sources = SourceAddresses.parse(value(args, ++i, flag));
                case "--pace-ms" -> options.paceMillis = intValue(args, ++i, flag);
                case "--swap-jar" -> options.swapJar = Path.of(value(args, ++i, flag));
                case "--deploy-jar" -> options.deployJar = Path.of(value(args, ++i, flag));
                case "--swap-variant" -> options.swapVariant = SwapDrop.Variant.parse(value(args, ++i, flag));
                case "--rehearse-jar" -> options.rehearseJar = Path.of(value(args, ++i, flag));
                case "--settle-pid" -> options.settlePid = Long.parseLong(value(args, ++i, flag));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (options.scenario == null || options.port < 0 || options.controlPort < 0 && options.scenario != Scenario.S7) {
            throw new IllegalArgumentException("--scenario, --port and (but for S7) --control-port are required");
        }
        Scenario scenario = options.scenario;
        options.connections = connections != null ? connections : scenario.connections;
        options.inFlight = inFlight != null ? inFlight : scenario.inFlight;
        options.size = size != null ? size : scenario.size;
        options.text = text != null ? text : scenario.text;
        options.validate();
        return options;
    }

    /** These options against another server: the same load, another port. */
    Options withPort(int other) {
        try {
            Options copy = (Options) clone();
            copy.port = other;
            copy.warmGeneratorPort = -1;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e); // Cloneable
        }
    }

    private void validate() {
        if (connections < 1 || inFlight < 1 || size < 1) {
            throw new IllegalArgumentException("--connections, --in-flight and --size must be at least 1");
        }
        if ((long) size * inFlight > 256L << 20) {
            throw new IllegalArgumentException("--size times --in-flight must stay within 256 MiB");
        }
        if (warmupSeconds < 0 || durationSeconds <= 0) {
            throw new IllegalArgumentException("--warmup must be at least 0 and --duration more than 0");
        }
        if (scenario == Scenario.S6 && (tls || deflate || raw || text)) {
            throw new IllegalArgumentException("S6 publishes binary messages over plain WebSocket: no --tls, --deflate, --raw or --text");
        }
        if (scenario == Scenario.S6 && size < FanOutReceiver.HEADER) {
            throw new IllegalArgumentException("S6 messages carry a " + FanOutReceiver.HEADER + "-byte header: --size at least that");
        }
        if (warmGeneratorPort >= 0 && (scenario != Scenario.S4 || warmGeneratorPort == port)) {
            throw new IllegalArgumentException("--warm-generator-port is for S4, and names a server other than --port");
        }
        if (scenario == Scenario.S7) {
            validateSwap();
        }
        if (clientGenerator && (raw || !scenario.echoes() || scenario == Scenario.S7)) {
            throw new IllegalArgumentException("--generator client runs S1 to S3 against a WebSocket server (no --raw)");
        }
        if (raw && (tls || deflate)) {
            throw new IllegalArgumentException("--raw (a TCP echo) cannot be combined with --tls or --deflate");
        }
    }

    private void validateSwap() {
        if (tls || deflate || raw) {
            throw new IllegalArgumentException("S7 runs over plain WebSocket: no --tls, --deflate or --raw");
        }
        if (size < Payloads.NUMBER_DIGITS || inFlight >= 10_000 || paceMillis < 1) {
            throw new IllegalArgumentException("S7 numbers its messages: --size at least " + Payloads.NUMBER_DIGITS
                    + ", --in-flight below 10000, and --pace-ms at least 1");
        }
        if ((swapJar == null) != (deployJar == null)) {
            throw new IllegalArgumentException("--swap-jar and --deploy-jar go together");
        }
        if (rehearseJar != null && swapJar == null) {
            throw new IllegalArgumentException("--rehearse-jar rehearses the swap of --swap-jar: give both");
        }
    }

    /** Frames to prepare per connection: S4 sends no messages, so one is enough there. */
    int echoingInFlight() {
        return scenario.echoes() ? inFlight : 1;
    }

    private static boolean generator(String name) {
        return switch (name) {
            case "hand" -> false;
            case "client" -> true;
            default -> throw new IllegalArgumentException("--generator is hand or client, not " + name);
        };
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[index];
    }

    private static int intValue(String[] args, int index, String flag) {
        return Integer.parseInt(value(args, index, flag));
    }
}

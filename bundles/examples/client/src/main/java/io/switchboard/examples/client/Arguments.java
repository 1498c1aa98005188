package io.switchboard.examples.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line, parsed; a bad one throws {@link IllegalArgumentException} with what is wrong. */
final class Arguments {
    static final String USAGE = String.join("\n",
            "usage: java -jar switchboard-client.jar [options] ws://HOST[:PORT]/PATH | wss://...",
            "  -s, --subprotocol P         offer subprotocol P (repeat for more, best first)",
            "  -H, --header 'Name: value'  send this header with the upgrade request (repeatable)",
            "  --deflate                   offer permessage-deflate",
            "  --truststore FILE           trust the certificates in this PKCS12 or JKS file for wss",
            "                              (default: the JDK's trust); the host name is always verified",
            "  --truststore-password PW    the trust store's password, if it has one",
            "  --connect-timeout SECONDS   for the TCP connect and for the handshake each (default 10)",
            "Typed lines are sent as text messages; /ping [TEXT] sends a ping, /close [CODE [REASON]]",
            "closes (default 1000) at once, and the end of the input (Ctrl-D) closes with 1000 once",
            "nothing has arrived for half a second.",
            "Exit status: 0 after a close with 1000, 3 after any other close, 1 if the connection could",
            "not be opened, 2 for a bad command line.");

    URI uri;
    final List<String> subprotocols = new ArrayList<>();
    final List<String[]> headers = new ArrayList<>();
    boolean deflate;
    Path trustStore;
    char[] trustStorePassword;
    long connectTimeoutSeconds = 10;

    static Arguments parse(String... args) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-s", "--subprotocol" -> parsed.subprotocols.add(value(args, ++i, arg));
                case "-H", "--header" -> parsed.headers.add(header(value(args, ++i, arg)));
                case "--deflate" -> parsed.deflate = true;
                case "--truststore" -> parsed.trustStore = Path.of(value(args, ++i, arg));
                case "--truststore-password" -> parsed.trustStorePassword = value(args, ++i, arg).toCharArray();
                case "--connect-timeout" -> parsed.connectTimeoutSeconds = seconds(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-") || parsed.uri != null) {
                        throw new IllegalArgumentException("unexpected argument " + arg);
                    }
                    parsed.uri = uri(arg);
                }
            }
        }
        if (parsed.uri == null) {
            throw new IllegalArgumentException("no URI given");
        }
        return parsed;
    }

    private static URI uri(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + text);
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a ws:// or wss:// URI with a host: " + text);
        }
        return uri;
    }

    private static String[] header(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a header is 'Name: value', not " + line);
        }
        return new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()};
    }

    private static long seconds(String text) {
        try {
            long seconds = Long.parseLong(text);
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--connect-timeout takes a whole number of seconds above 0, not " + text);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}

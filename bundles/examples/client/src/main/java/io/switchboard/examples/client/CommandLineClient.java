package io.switchboard.examples.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;

/**
 * The {@code wscat} of Switchboard: connects to a WebSocket URI, prints what arrives and sends what
 * is typed, one text message per line ({@link Arguments#USAGE} lists the options and commands).
 * Output: {@code < TEXT} for a text message, {@code < binary N bytes: HEX} for a binary one (the
 * first 64 bytes in hex), {@code < pong HEX}, and {@code closed CODE REASON} at the end.
 *
 * <p>Threads: the main thread reads the input and sends; the client's loop prints what arrives
 * (through the {@code PrintStream}, which is synchronized) and completes {@code closed}.
 */
public final class CommandLineClient {
    static final int CONNECT_FAILED = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int CLOSED_NOT_NORMALLY = 3;
    private static final int HEX_BYTES = 64;
    /** At the end of the input, the close waits until nothing has arrived for this long ... */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** ... but no longer than this. */
    private static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private CommandLineClient() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the client until the connection ends; returns the exit status. */
    static int run(String[] args, InputStream input, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(Arguments.USAGE);
            return BAD_ARGUMENTS;
        }
        Printer printer = new Printer(out);
        try (WebSocketClient client = client(arguments)) {
            Connection connection;
            try {
                connection = client.connect(arguments.uri, arguments.subprotocols, arguments.headers, printer).get();
            } catch (ExecutionException e) {
                err.println("could not connect to " + arguments.uri + ": " + e.getCause());
                return CONNECT_FAILED;
            }
            out.println("connected to " + arguments.uri
                    + (connection.subprotocol().isEmpty() ? "" : ", subprotocol " + connection.subprotocol())
                    + (connection.extensions().isEmpty() ? "" : ", extensions " + connection.extensions()));
            startReading(input, connection, printer, err);
            CloseStatus status = printer.closed.get();
            return status.code() == CloseStatus.NORMAL ? 0 : CLOSED_NOT_NORMALLY;
        } catch (IOException | GeneralSecurityException e) {
            err.println("could not start the client: " + e);
            return CONNECT_FAILED;
        } catch (InterruptedException | ExecutionException e) {
            err.println("interrupted: " + e);
            return CONNECT_FAILED;
        }
    }

    private static WebSocketClient client(Arguments arguments) throws IOException, GeneralSecurityException {
        Duration timeout = Duration.ofSeconds(arguments.connectTimeoutSeconds);
        WebSocketClient.Builder builder = WebSocketClient.builder().name("switchboard-client")
                .connectTimeout(timeout).handshakeTimeout(timeout);
        if (arguments.deflate) {
            builder.perMessageDeflate(new PerMessageDeflate(false, false));
        }
        if (arguments.trustStore != null) {
            builder.tls(trusting(arguments));
        }
        return builder.build();
    }

    /** A TLS context that trusts the trust store's certificates, and only those. */
    private static SSLContext trusting(Arguments arguments) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(arguments.trustStore.toFile(), arguments.trustStorePassword);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * Sends each line of {@code input} on a thread of its own (a daemon: the connection's end, not
     * the input's, ends the program). At the end of the input it closes with 1000 once nothing
     * has arrived for half a second (at most five seconds after the end of the input): a
     * connection that has sent its close drops the messages that arrive after it, and the
     * server's answers to the last lines may still be on their way. (A ping is no marker: the
     * server's pong may overtake its answers to the messages sent before the ping.)
     */
    private static void startReading(InputStream input, Connection connection, Printer printer, PrintStream err) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null && connection.isOpen(); ) {
                    Commands.send(line, connection, err);
                }
            } catch (IOException e) {
                err.println("reading the input failed: " + e);
            }
            awaitQuiet(connection, printer);
            connection.close();
        }, "switchboard-client-input");
        reader.setDaemon(true);
        reader.start();
    }

    private static void awaitQuiet(Connection connection, Printer printer) {
        long end = System.nanoTime() + ANSWER_NANOS;
        for (long now = System.nanoTime(); connection.isOpen() && now < end; now = System.nanoTime()) {
            long quiet = now - printer.lastArrival;
            if (quiet >= QUIET_NANOS) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(QUIET_NANOS - quiet);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Prints what arrives; runs on the client's loop. */
    private static final class Printer implements ConnectionHandler {
        private final PrintStream out;
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        /** When something last arrived ({@code System.nanoTime()}), read by the input's thread. */
        volatile long lastArrival = System.nanoTime();

        Printer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void message(Connection connection, String text) {
            lastArrival = System.nanoTime();
            out.println("< " + text);
        }

        @Override
        public void message(Connection connection, ByteBuffer data) {
            lastArrival = System.nanoTime();
            out.println("< binary " + data.remaining() + " bytes: " + hex(data));
        }

        @Override
        public void pong(Connection connection, ByteBuffer payload) {
            lastArrival = System.nanoTime();
            out.println("< pong " + hex(payload));
        }

        @Override
        public void disconnect(Connection connection, CloseStatus status) {
            out.println("closed " + status.code() + (status.reason().isEmpty() ? "" : " " + status.reason()));
            closed.complete(status);
        }

        private static String hex(ByteBuffer data) {
            byte[] bytes = new byte[Math.min(data.remaining(), HEX_BYTES)];
            data.duplicate().get(bytes);
            return HexFormat.of().formatHex(bytes) + (data.remaining() > HEX_BYTES ? "…" : "");
        }
    }
}

package io.switchboard.shell.internal;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.whiteboard.SwitchboardClient;

/**
 * {@code switchboard:connect URI [message...]}, whichever shell runs it: connects through the
 * {@link SwitchboardClient} service, sends the messages as text, prints what comes back until the
 * server closes or the listening time is up, then closes with 1000.
 *
 * <p>The handler's callbacks run on the connection's loop; they only queue what they are told, and
 * the command's thread prints it. So the loop never waits for a terminal, and Gogo, which routes
 * {@code System.out} by thread, shows it in the session that ran the command.
 */
final class QuickConnect implements ConnectionHandler {
    /** How long to print what comes back, unless told otherwise. */
    static final long DEFAULT_WAIT_MILLIS = 2000;
    /** How long to wait for the connect beyond the client's own timeouts, which end it first. */
    private static final long CONNECT_BOUND_SECONDS = 60;
    /** How long to wait for the server's side of the closing handshake. */
    private static final long CLOSE_BOUND_SECONDS = 10;

    /** What the connection was told, in order: a line to print, or the close. */
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    private QuickConnect() {
    }

    /**
     * Runs the command, printing to {@code out}.
     *
     * @throws IllegalArgumentException if {@code uri} is not a ws or wss URI
     * @throws IllegalStateException    if there is no client service or the connect failed, saying why
     */
    static void run(SwitchboardClient client, String uri, List<String> messages, Duration listen, PrintStream out)
            throws InterruptedException {
        if (client == null) {
            throw new IllegalStateException("No SwitchboardClient service: is the io.switchboard.whiteboard bundle active?");
        }
        URI target;
        try {
            target = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a URI: " + e.getMessage(), e);
        }
        QuickConnect session = new QuickConnect();
        Connection connection;
        try {
            connection = client.connect(target, session).toCompletableFuture().get(CONNECT_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException("Could not connect to " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not connect to " + uri + " within " + CONNECT_BOUND_SECONDS + " s", e);
        }
        out.println("Connected to " + uri + (connection.subprotocol().isEmpty() ? "" : " (" + connection.subprotocol() + ")"));
        for (String message : messages) {
            connection.send(message);
            out.println("> " + message);
        }
        out.flush();
        CloseStatus closed = session.print(out, System.nanoTime() + listen.toNanos());
        if (closed == null) {
            connection.close(CloseStatus.NORMAL, "");
            closed = session.print(out, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_BOUND_SECONDS));
            out.println(closed == null ? "No answer to the close within " + CLOSE_BOUND_SECONDS + " s" : "Closed: " + describe(closed));
        } else {
            out.println("Closed by the server: " + describe(closed));
        }
        out.flush();
    }

    /** Prints what arrives until the connection ends (returning how) or {@code deadline} passes (returning null). */
    private CloseStatus print(PrintStream out, long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Object event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event instanceof CloseStatus status) {
                return status;
            }
            if (event != null) {
                out.println(event);
                out.flush();
            }
        }
        return null;
    }

    private static String describe(CloseStatus status) {
        return status.code() + (status.reason().isEmpty() ? "" : " " + status.reason());
    }

    @Override
    public void message(Connection connection, String text) {
        events.add("< " + text);
    }

    @Override
    public void message(Connection connection, ByteBuffer data) {
        events.add("< (binary, " + data.remaining() + " bytes)");
    }

    @Override
    public void disconnect(Connection connection, CloseStatus status) {
        events.add(status);
    }
}

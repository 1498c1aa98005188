package io.switchboard.benchmarks.load;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's control port: one line per command, one line per answer. Blocking, with timeouts:
 * it is used only between phases, never inside the measurement loop.
 */
final class ControlClient implements Closeable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** {@code heap} runs a full GC in a server holding 10,000 connections; give it time. */
    private static final int ANSWER_TIMEOUT_MILLIS = 60_000;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    static ControlClient connect(int port) throws RunFailure {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new ControlClient(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // The connect failed; the socket holds nothing.
            }
            throw new RunFailure("cannot reach the control port 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** Sends a command ({@code cpu}, {@code heap}) and returns the number in its answer. */
    long query(String command) throws RunFailure {
        String answer;
        try {
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = in.readLine();
        } catch (IOException e) {
            throw new RunFailure("control command '" + command + "' failed: " + e.getMessage(), e);
        }
        if (answer == null) {
            throw new RunFailure("the control port closed instead of answering '" + command + "'");
        }
        Matcher number = NUMBER.matcher(answer);
        if (!number.find()) {
            throw new RunFailure("control command '" + command + "' answered without a number: " + answer);
        }
        return Long.parseLong(number.group());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

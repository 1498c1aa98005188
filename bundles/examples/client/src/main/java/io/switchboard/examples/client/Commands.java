package io.switchboard.examples.client;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.switchboard.api.Connection;

/** What a typed line does: {@code /ping [TEXT]}, {@code /close [CODE [REASON]]}, or a text message. */
final class Commands {
    private Commands() {
    }

    static void send(String line, Connection connection, PrintStream err) {
        if (line.equals("/ping") || line.startsWith("/ping ")) {
            String payload = line.length() > 6 ? line.substring(6) : "";
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 125) {
                err.println("a ping carries at most 125 bytes");
                return;
            }
            connection.ping(ByteBuffer.wrap(bytes));
        } else if (line.equals("/close") || line.startsWith("/close ")) {
            close(line.substring(6).trim(), connection, err);
        } else {
            connection.send(line);
        }
    }

    private static void close(String arguments, Connection connection, PrintStream err) {
        if (arguments.isEmpty()) {
            connection.close();
            return;
        }
        String[] codeAndReason = arguments.split(" ", 2);
        try {
            int code = Integer.parseInt(codeAndReason[0]);
            connection.close(code, codeAndReason.length > 1 ? codeAndReason[1] : "");
        } catch (IllegalArgumentException e) { // NumberFormatException, or a code one may not send
            err.println("/close [CODE [REASON]]: " + e.getMessage());
        }
    }
}

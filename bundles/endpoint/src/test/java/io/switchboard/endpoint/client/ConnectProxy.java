package io.switchboard.endpoint.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal HTTP proxy on loopback that opens tunnels ({@code CONNECT host:port}) and copies
 * bytes both ways, or, if made with a refusal, answers every request with it; one made
 * {@link #requiring} credentials answers 407 with a Basic challenge to a request without them.
 * Records the request lines it was sent.
 */
final class ConnectProxy implements AutoCloseable {
    static final String CHALLENGE = "Basic realm=\"switchboard tests\", charset=\"UTF-8\"";

    final BlockingQueue<String> requestLines = new LinkedBlockingQueue<>();
    /** The {@code Proxy-Authorization} of each request, or "" for a request without one. */
    final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
    private final ServerSocket listener;
    private final String refusal;
    private final String expectedAuthorization;

    /** @param refusal the whole response to every request; null to open tunnels */
    ConnectProxy(String refusal) throws IOException {
        this(refusal, null);
    }

    private ConnectProxy(String refusal, String expectedAuthorization) throws IOException {
        this.refusal = refusal;
        this.expectedAuthorization = expectedAuthorization;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptAll);
    }

    /** A proxy that opens tunnels only for {@code user} with {@code password} (Basic, UTF-8). */
    static ConnectProxy requiring(String user, String password) throws IOException {
        return new ConnectProxy(null, "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void acceptAll() {
        try {
            while (true) {
                Socket client = listener.accept();
                daemon(() -> tunnel(client));
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            requestLines.add(requestLine);
            String authorization = field(head, "Proxy-Authorization");
            authorizations.add(authorization);
            OutputStream toClient = client.getOutputStream();
            if (refusal != null) {
                toClient.write(refusal.getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                toClient.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: " + CHALLENGE
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String authority = requestLine.split(" ")[1];
            int colon = authority.lastIndexOf(':');
            try (Socket server = new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)))) {
                toClient.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread upstream = daemon(() -> copy(client, server));
                copy(server, client);
                upstream.join();
            }
        } catch (IOException | InterruptedException e) {
            // a tunnel ends when either side does
        }
    }

    /** The value of a field of the request head, "" if it has none. */
    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client left during its request");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Copies until {@code from} ends, then ends {@code to}'s output. */
    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // the other direction sees it too
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "connect-proxy");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}

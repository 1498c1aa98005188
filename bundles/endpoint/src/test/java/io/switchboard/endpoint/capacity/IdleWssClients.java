package io.switchboard.endpoint.capacity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.switchboard.testing.UpgradeRequest;

/**
 * The client side of {@link IdleWssHeapTest}, in its own JVM so that its heap is not the server's:
 * wss connections over the JDK's {@link SSLSocket}, upgraded, then left idle.
 *
 * <p>Arguments: {@code port path resume} ({@code resume}: whether connections resume the first one's TLS session). Protocol, one line each way:
 * <pre>
 * in:  CONNECT n     opens n connections, each upgraded (101) before the next
 * out: READY n       (or FAILED reason, then exit 1)
 * in:  CLOSE         closes every connection it opened (close_notify, then the socket)
 * out: DONE
 * </pre>
 * Trusts any certificate: the server's key pair is made per test JVM, and this is loopback only.
 */
public final class IdleWssClients {
    private IdleWssClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        boolean resume = Boolean.parseBoolean(args[2]);
        SSLContext shared = resume ? newContext() : null;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        List<SSLSocket> open = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("CONNECT ")) {
                int count = Integer.parseInt(line.substring("CONNECT ".length()));
                try {
                    for (int i = 0; i < count; i++) {
                        open.add(upgraded(resume ? shared : newContext(), port, path));
                    }
                } catch (IOException | RuntimeException e) {
                    out.println("FAILED after " + open.size() + ": " + e);
                    System.exit(1);
                }
                out.println("READY " + open.size());
            } else if (line.equals("CLOSE")) {
                for (SSLSocket socket : open) {
                    socket.close();
                }
                open.clear();
                out.println("DONE");
            }
        }
    }

    /**
     * A client's TLS context. One per connection unless resuming: the JDK's client resumes a
     * session it holds for the same host and port, and the server then decodes the session from
     * its ticket, a copy of the certificate chain with it.
     */
    private static SSLContext newContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingAnyone()}, null);
        return context;
    }

    private static SSLSocket upgraded(SSLContext context, int port, String path) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true); // the request right behind the handshake's last flight: not held for an ACK
        String key = UpgradeRequest.newKey();
        socket.getOutputStream().write(UpgradeRequest.bytes("127.0.0.1:" + port, path, key));
        socket.getOutputStream().flush();
        InputStream response = socket.getInputStream();
        byte[] head = new byte[1024];
        int length = 0;
        while (UpgradeRequest.headLength(head, length) < 0) {
            int read = response.read(head, length, head.length - length);
            if (read < 0) {
                throw new IOException("the server closed before its response head ended");
            }
            length += read;
        }
        String problem = UpgradeRequest.checkSwitchingProtocols(new String(head, 0, length, StandardCharsets.US_ASCII), key);
        if (problem != null) {
            throw new IOException("no upgrade: " + problem);
        }
        return socket;
    }

    private static final class TrustingAnyone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

package io.switchboard.examples.jakartachat;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.jakarta.JakartaEndpoints;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The conformance gate's second server: an annotated Jakarta echo, deployed by
 * {@link JakartaEndpoints} as users get it by default (blocking: its callbacks on the server's
 * workers), which the Autobahn TestSuite's fuzzing client drives as it drives the native echo
 * (the plugin passes the port and connects to this host's address). The engine's settings are the
 * native echo's ({@code AutobahnEchoServer}): limits raised for cases 9.x (16 MiB messages in
 * frames as small as 64 bytes), permessage-deflate on; the Jakarta sessions' message limit is
 * raised to match, since its default is the engine's default of 1 MiB.
 */
public final class AutobahnJakartaEchoServer {
    private static final int MAX_MESSAGE = 20 * 1024 * 1024;

    /** Every whole message back as it came, text as text and binary as binary: the return value is sent. */
    @ServerEndpoint("/")
    public static class Echo {
        @OnMessage
        public String text(String text) {
            return text;
        }

        @OnMessage
        public ByteBuffer binary(ByteBuffer data) {
            return data;
        }
    }

    private AutobahnJakartaEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        JakartaEndpoints endpoints = JakartaEndpoints.builder().add(Echo.class).build();
        endpoints.container().setDefaultMaxTextMessageBufferSize(MAX_MESSAGE);
        endpoints.container().setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
        WebSocketServer server = WebSocketServer.builder()
                .name("autobahn-jakarta")
                .host(InetAddress.getLocalHost().getHostAddress())
                .port(Integer.parseInt(args[0]))
                .maxMessageSize(MAX_MESSAGE)
                .maxFragments(1 << 20)
                .sendQueue(64 * 1024, 256 * 1024, 64L * 1024 * 1024)
                .perMessageDeflate(true)
                .router(endpoints)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            endpoints.close();
        }));
    }
}

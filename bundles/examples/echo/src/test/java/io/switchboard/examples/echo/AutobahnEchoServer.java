package io.switchboard.examples.echo;

import java.net.InetAddress;

import io.switchboard.endpoint.WebSocketServer;

/**
 * The echo server as the Autobahn TestSuite's fuzzing client drives it: the plugin passes the
 * port and connects to this host's address. Limits are raised for cases 9.x, which send 16 MiB
 * messages in frames as small as 64 bytes; permessage-deflate is on, with its defaults, so that
 * a current suite's compression cases (12.x and 13.x, which the plugin's own suite predates) run
 * against it too; everything else keeps the defaults.
 */
public final class AutobahnEchoServer {
    private AutobahnEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        WebSocketServer server = WebSocketServer.builder()
                .name("autobahn")
                .host(InetAddress.getLocalHost().getHostAddress())
                .port(Integer.parseInt(args[0]))
                .maxMessageSize(20 * 1024 * 1024)
                .maxFragments(1 << 20)
                .sendQueue(64 * 1024, 256 * 1024, 64L * 1024 * 1024)
                .perMessageDeflate(true)
                .route("/", new EchoHandler())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }
}

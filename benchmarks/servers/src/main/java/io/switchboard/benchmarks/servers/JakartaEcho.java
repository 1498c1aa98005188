package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The annotated Jakarta echo that both Jakarta servers deploy, Switchboard's and Jetty's ee10:
 * every whole message back with its opcode, as the method's return value (sent without waiting
 * for the write). The binary payload handed to the method is the container's copy, which the
 * specification lets the endpoint keep, so returning it is safe on both.
 */
@ServerEndpoint("/echo")
public class JakartaEcho {
    @OnMessage
    public String text(String text) {
        return text;
    }

    @OnMessage
    public ByteBuffer binary(ByteBuffer data) {
        return data;
    }
}

package io.switchboard.itests.jakartabundle;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** An annotated endpoint the specification refuses: its message method has two parameters that could be the message. */
@ServerEndpoint("/jakarta/broken")
public class Broken {
    @OnMessage
    public void twoMessages(String one, String other) {
    }
}

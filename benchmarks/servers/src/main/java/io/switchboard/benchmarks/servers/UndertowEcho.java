package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;

import org.xnio.Pooled;

import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

/**
 * Sends every whole message back with its opcode, without blocking, on the I/O thread. Undertow
 * sets no message limit by default; this listener sets {@link EchoServer#MAX_MESSAGE_SIZE}.
 */
final class UndertowEcho extends AbstractReceiveListener {

    @Override
    protected long getMaxTextBufferSize() {
        return EchoServer.MAX_MESSAGE_SIZE;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return EchoServer.MAX_MESSAGE_SIZE;
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        WebSockets.sendText(message.getData(), channel, null);
    }

    @Override
    @SuppressWarnings("deprecation") // Pooled: the only form in which Undertow 2.3 hands over a binary message
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        Pooled<ByteBuffer[]> data = message.getData();
        // The pooled buffers go back to the pool once the send no longer needs them.
        WebSockets.sendBinary(data.getResource(), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel channel, Void context) {
                data.free();
            }

            @Override
            public void onError(WebSocketChannel channel, Void context, Throwable error) {
                data.free();
            }
        });
    }
}

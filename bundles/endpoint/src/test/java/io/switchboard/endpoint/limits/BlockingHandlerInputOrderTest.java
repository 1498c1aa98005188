package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.RepeatedTest;

import io.switchboard.api.Connection;
import io.switchboard.api.ConnectionHandler;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawWebSocketClient;

/**
 * A blocking handler under a stream that never lets up: between two messages the loop keeps the
 * undecoded rest of a read (it may not decode while a callback runs), and a worker may finish its
 * callback before the loop is done keeping it. The loop must not read the socket again while
 * anything is kept, or newer bytes overtake older ones and the stream is garbled (a 1002 from the
 * decoder, seen in 5 to 15 % of such runs before the fix). A stress run, not a proof: each
 * repetition sends 4,096 messages, each one a chance for the race.
 */
class BlockingHandlerInputOrderTest {
    private static final int MESSAGES = 4096;
    private static final int MESSAGE = 16 * 1024;

    @RepeatedTest(20)
    void aStreamThroughABlockingEchoComesBackWholeAndInOrder() throws Exception {
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void message(Connection connection, ByteBuffer data) {
                connection.send(data);
            }
        };
        // A cap above the whole stream: the client reads only once it has sent most of it.
        try (WebSocketServer server = WebSocketServer.builder().host("127.0.0.1").port(0).loops(1)
                .sendQueue(64 * 1024, 256 * 1024, 1L << 30).blockingRoute("/echo", echo).start();
             RawWebSocketClient client = RawWebSocketClient.connect(server.port(), 64 * 1024)) {
            client.upgrade("/echo");
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        client.send(client.frame(Frames.BINARY, payload(i)));
                    }
                } catch (Exception e) {
                    // the server closed on a garbled stream: the reads below say how
                }
            }, "stream writer");
            writer.setDaemon(true);
            writer.start();
            for (int i = 0; i < MESSAGES; i++) {
                Frame echoed = client.readFrame();
                assertEquals(Frames.BINARY, echoed.opcode(), echoed::toString);
                assertArrayEquals(payload(i), echoed.payload(), "echo " + i);
            }
        }
    }

    /** Message {@code i}: its number, then bytes that differ from one message to the next. */
    private static byte[] payload(int i) {
        byte[] bytes = new byte[MESSAGE];
        ByteBuffer.wrap(bytes).putInt(i);
        for (int j = 4; j < MESSAGE; j++) {
            bytes[j] = (byte) (i * 31 + j);
        }
        return bytes;
    }
}

package io.switchboard.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.JdkWebSocketClient;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** Binary and stream coders, found through generic base classes, made and ended per session. */
class CodersTest {
    static final BlockingQueue<String> LIFECYCLE = new LinkedBlockingQueue<>();

    public record Point(int x, int y) {
    }

    public record Label(String text) {
    }

    /** A base class that leaves the type open: the coder's type comes from its subclass. */
    public abstract static class BinaryCoder<T> implements Encoder.Binary<T>, Decoder.Binary<T> {
        @Override
        public boolean willDecode(ByteBuffer data) {
            return data.remaining() == 8;
        }

        @Override
        public void init(EndpointConfig config) {
        }

        @Override
        public void destroy() {
        }
    }

    public static final class PointCoder extends BinaryCoder<Point> {
        @Override
        public ByteBuffer encode(Point point) {
            return ByteBuffer.allocate(8).putInt(point.x).putInt(point.y).flip();
        }

        @Override
        public Point decode(ByteBuffer data) {
            return new Point(data.getInt(), data.getInt());
        }

        @Override
        public void init(EndpointConfig config) {
            LIFECYCLE.add("point coder init for " + config.getClass().getSimpleName());
        }

        @Override
        public void destroy() {
            LIFECYCLE.add("point coder destroyed");
        }
    }

    public static final class LabelStreams implements Encoder.TextStream<Label>, Decoder.TextStream<Label> {
        @Override
        public void init(EndpointConfig config) {
        }

        @Override
        public void destroy() {
        }

        @Override
        public void encode(Label label, Writer writer) throws IOException {
            writer.write("<" + label.text + ">");
        }

        @Override
        public Label decode(Reader reader) throws DecodeException, IOException {
            StringBuilder text = new StringBuilder();
            for (int c; (c = reader.read()) >= 0; ) {
                text.append((char) c);
            }
            if (text.isEmpty()) {
                throw new DecodeException("", "an empty label");
            }
            return new Label(text.toString());
        }
    }

    @ServerEndpoint(value = "/coded", encoders = {PointCoder.class, LabelStreams.class}, decoders = {PointCoder.class, LabelStreams.class})
    public static class Coded {
        @OnMessage
        public Point move(Point point) {
            return new Point(point.x + 1, point.y - 1);
        }

        @OnMessage
        public Label label(Label label) {
            return new Label(label.text.toUpperCase());
        }
    }

    private static Served served;

    @BeforeAll
    static void serve() throws Exception {
        served = new Served(JakartaEndpoints.builder().add(Coded.class).build());
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void binaryAndStreamCodersBothWays() throws Exception {
        LIFECYCLE.clear();
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/coded"))) {
            assertEquals("<HELLO>", client.request("hello"));
            client.sendBinary(ByteBuffer.allocate(8).putInt(3).putInt(7).array());
            ByteBuffer moved = ByteBuffer.wrap(client.awaitBinary());
            assertEquals(new Point(4, 6), new Point(moved.getInt(), moved.getInt()));
            // One instance decodes, one encodes: each made for this session with its configuration.
            assertEquals("point coder init for SessionConfig", LIFECYCLE.poll(10, TimeUnit.SECONDS));
            assertEquals("point coder init for SessionConfig", LIFECYCLE.poll(10, TimeUnit.SECONDS));
        }
        assertEquals("point coder destroyed", LIFECYCLE.poll(10, TimeUnit.SECONDS));
        assertEquals("point coder destroyed", LIFECYCLE.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aMessageNoDecoderWillTakeIsLoggedWithoutOnErrorAndTheSessionGoesOn() {
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(served.uri("/coded"))) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals("<STILL>", client.request("still"));
        }
    }
}

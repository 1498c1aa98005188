package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UpgradeRequestTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static ResponseHead head(String text) throws ProtocolException {
        ResponseHeadReader reader = new ResponseHeadReader();
        assertTrue(reader.read(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII))));
        return reader.parse();
    }

    private static String response(String... extraHeaders) {
        return "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n" + String.join("", extraHeaders) + "\r\n";
    }

    @Test
    void computesTheRfc6455AcceptValue() {
        assertEquals(ACCEPT, UpgradeRequest.acceptFor(KEY));
    }

    @Test
    void writesAnRfc6455Request() {
        String request = new String(new UpgradeRequest("127.0.0.1:8080", KEY, true).bytes, StandardCharsets.US_ASCII);
        assertTrue(request.startsWith("GET /echo HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
        assertTrue(request.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"));
        assertTrue(request.contains("\r\nSec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"));
        assertTrue(request.endsWith("\r\n\r\n"));
        String random = UpgradeRequest.randomKey(new SplittableRandom(1));
        assertEquals(24, random.length());
    }

    @Test
    void acceptsAValidResponse() {
        assertDoesNotThrow(() -> new UpgradeRequest("h", KEY, false).verify(head(response())));
        assertDoesNotThrow(() -> new UpgradeRequest("h", KEY, true).verify(
                head(response("Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"))));
    }

    @Test
    void rejectsAnInvalidResponse() {
        UpgradeRequest plain = new UpgradeRequest("h", KEY, false);
        assertThrows(ProtocolException.class, () -> plain.verify(head("HTTP/1.1 404 Not Found\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> plain.verify(head(response().replace(ACCEPT, "x" + ACCEPT.substring(1)))));
        assertThrows(ProtocolException.class, () -> plain.verify(head(response().replace("WebSocket", "h2c"))));
        assertThrows(ProtocolException.class, () -> plain.verify(head(response("Sec-WebSocket-Extensions: permessage-deflate\r\n"))));
        UpgradeRequest deflate = new UpgradeRequest("h", KEY, true);
        ProtocolException notAccepted = assertThrows(ProtocolException.class, () -> deflate.verify(head(response())));
        assertTrue(notAccepted.getMessage().contains("permessage-deflate"));
        assertThrows(ProtocolException.class, () -> deflate.verify(
                head(response("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n"))));
    }

    @Test
    void readsAHeadSplitAnywhereAndLeavesTheBytesAfterIt() throws ProtocolException {
        byte[] bytes = (response() + "\u0081\u0002hi").getBytes(StandardCharsets.ISO_8859_1);
        int headLength = response().length();
        for (int split = 0; split <= bytes.length; split++) {
            ResponseHeadReader reader = new ResponseHeadReader();
            ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
            boolean complete = reader.read(first);
            ByteBuffer rest = ByteBuffer.wrap(bytes, split, bytes.length - split);
            if (!complete) {
                assertFalse(first.hasRemaining());
                assertTrue(reader.read(rest));
                assertEquals(headLength, rest.position());
            } else {
                assertEquals(headLength, first.position());
            }
            assertEquals(101, reader.parse().status);
        }
    }

    @Test
    void rejectsAnEndlessHead() {
        ResponseHeadReader reader = new ResponseHeadReader();
        ByteBuffer junk = ByteBuffer.wrap(new byte[ResponseHeadReader.MAX_HEAD + 1]);
        assertThrows(ProtocolException.class, () -> reader.read(junk));
    }
}

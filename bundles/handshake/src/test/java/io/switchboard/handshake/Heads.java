package io.switchboard.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Request heads for the tests, and the ways a connection feeds them to a parser. */
final class Heads {
    /** The client handshake of RFC 6455 §1.3. */
    static final String RFC_SAMPLE = """
            GET /chat HTTP/1.1\r
            Host: server.example.com\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Origin: http://example.com\r
            Sec-WebSocket-Protocol: chat, superchat\r
            Sec-WebSocket-Version: 13\r
            \r
            """;

    /** RFC 6455 §5.7: a single-frame masked text message, "Hello", as a client sends it. */
    static final byte[] MASKED_HELLO = {
        (byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58
    };

    private Heads() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The request line and the header lines, each given without its CRLF, and the blank line. */
    static String head(String requestLine, String... headerLines) {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Parses a head that arrives in one read with the default limits. */
    static HttpRequest parse(String head) throws HttpException {
        return feed(new HttpRequestParser(), List.of(bytes(head)));
    }

    /**
     * Feeds each piece as one read, as a connection would, and returns the request. Checks the
     * contract on the way: null means every byte was consumed, and a request only comes with
     * the last read, which must be left positioned at the end (no bytes follow the head here).
     */
    static HttpRequest feed(HttpRequestParser parser, List<byte[]> reads) throws HttpException {
        for (int i = 0; i < reads.size(); i++) {
            ByteBuffer in = ByteBuffer.wrap(reads.get(i));
            HttpRequest request = parser.parse(in);
            if (request == null) {
                assertFalse(in.hasRemaining(), "null returned with bytes left");
            } else {
                assertEquals(reads.size() - 1, i, "the request came before its last byte");
                assertFalse(in.hasRemaining(), "bytes left after the head");
                return request;
            }
        }
        throw new AssertionError("the head never completed");
    }

    /** The status the parser answers a head with, fed in one read and then byte by byte. */
    static HttpException parseError(String head) {
        return parseError(new HttpRequestParser(), new HttpRequestParser(), head);
    }

    static HttpException parseError(HttpRequestParser whole, HttpRequestParser byteByByte, String head) {
        HttpException inOneRead = assertThrows(HttpException.class, () -> feed(whole, List.of(bytes(head))));
        HttpException inPieces = assertThrows(HttpException.class, () -> feed(byteByByte, oneByteReads(bytes(head))));
        assertEquals(inOneRead.status(), inPieces.status(), "status depends on how the bytes arrived");
        assertEquals(inOneRead.reason(), inPieces.reason(), "reason depends on how the bytes arrived");
        assertNotNull(inOneRead.reason());
        return inOneRead;
    }

    static List<byte[]> oneByteReads(byte[] bytes) {
        List<byte[]> reads = new ArrayList<>();
        for (byte b : bytes) {
            reads.add(new byte[] {b});
        }
        return reads;
    }

    /** The bytes cut at {@code cut} into two reads. */
    static List<byte[]> twoReads(byte[] bytes, int cut) {
        return List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.bytes;
import static io.switchboard.handshake.Heads.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The byte and field-count limits: exactly at a limit passes, one over is refused. */
class RequestLimitsTest {
    private static final String HEAD = head("GET /chat HTTP/1.1", "Host: example.com", "X-Padding: " + "a".repeat(100));

    @Test
    void aHeadOfExactlyTheByteLimitPasses() throws HttpException {
        int limit = bytes(HEAD).length;
        assertEquals(Heads.parse(HEAD), Heads.feed(new HttpRequestParser(limit, 100), List.of(bytes(HEAD))));
        assertEquals(Heads.parse(HEAD), Heads.feed(new HttpRequestParser(limit, 100), Heads.oneByteReads(bytes(HEAD))));
    }

    @Test
    void aHeadOneByteOverTheLimitIs431() {
        int limit = bytes(HEAD).length - 1;
        HttpException e = Heads.parseError(new HttpRequestParser(limit, 100), new HttpRequestParser(limit, 100), HEAD);
        assertEquals(431, e.status());
        assertEquals("Request Header Fields Too Large", e.reason());
    }

    @Test
    void emptyLinesBeforeTheRequestLineCount() throws HttpException {
        String head = "\r\n" + HEAD;
        int limit = bytes(head).length;
        assertEquals(Heads.parse(HEAD), Heads.feed(new HttpRequestParser(limit, 100), List.of(bytes(head))));
        assertEquals(431, Heads.parseError(new HttpRequestParser(limit - 1, 100), new HttpRequestParser(limit - 1, 100), head).status());
    }

    @Test
    void aLongRequestLineIs414() {
        String head = head("GET /" + "a".repeat(200) + " HTTP/1.1", "Host: x");
        HttpException e = Heads.parseError(new HttpRequestParser(128, 100), new HttpRequestParser(128, 100), head);
        assertEquals(414, e.status());
        assertEquals("URI Too Long", e.reason());
    }

    @Test
    void aRequestLineThatEndsExactlyAtTheLimitIs431WhenTheHeadersGoOver() {
        String requestLine = "GET /chat HTTP/1.1\r\n";
        int limit = bytes(requestLine).length;
        assertEquals(431, Heads.parseError(new HttpRequestParser(limit, 100), new HttpRequestParser(limit, 100), HEAD).status());
    }

    /** A line that never ends must be cut off at the limit, not buffered until it does. */
    @Test
    void aLineThatNeverEndsIsRefusedAsSoonAsItPassesTheLimit() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser(1024, 100);
        byte[] start = bytes("GET / HTTP/1.1\r\nX-Endless: ");
        assertNull(parser.parse(ByteBuffer.wrap(start)));
        byte[] filler = new byte[1024 - start.length];
        Arrays.fill(filler, (byte) 'a');
        assertNull(parser.parse(ByteBuffer.wrap(filler)));

        ByteBuffer oneMore = ByteBuffer.wrap(bytes("aaaa"));
        HttpException e = assertThrows(HttpException.class, () -> parser.parse(oneMore));
        assertEquals(431, e.status());
        assertEquals(1, oneMore.position());
    }

    @Test
    void exactlyTheFieldCountLimitPasses() throws HttpException {
        HttpRequest request = Heads.feed(new HttpRequestParser(8192, 3), List.of(bytes(headWithFields(3))));
        assertEquals(3, request.allHeaders().size());
    }

    @Test
    void oneFieldOverTheCountLimitIs431() {
        HttpException e = Heads.parseError(new HttpRequestParser(8192, 3), new HttpRequestParser(8192, 3), headWithFields(4));
        assertEquals(431, e.status());
        assertEquals("Request Header Fields Too Large", e.reason());
    }

    @Test
    void theDefaultsAreThoseOfTheDesign() throws HttpException {
        assertEquals(8192, HttpRequestParser.DEFAULT_MAX_HEADER_BYTES);
        assertEquals(100, HttpRequestParser.DEFAULT_MAX_HEADER_COUNT);
        assertEquals(100, Heads.parse(headWithFields(100)).allHeaders().size());
        assertEquals(431, Heads.parseError(headWithFields(101)).status());
    }

    private static String headWithFields(int count) {
        List<String> lines = new ArrayList<>();
        lines.add("Host: x");
        for (int i = 1; i < count; i++) {
            lines.add("X-" + i + ": " + i);
        }
        return head("GET / HTTP/1.1", lines.toArray(String[]::new));
    }
}

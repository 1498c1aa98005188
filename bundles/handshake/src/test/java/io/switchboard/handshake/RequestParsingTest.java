package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.MASKED_HELLO;
import static io.switchboard.handshake.Heads.RFC_SAMPLE;
import static io.switchboard.handshake.Heads.bytes;
import static io.switchboard.handshake.Heads.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What a parsed request holds, and that it is the same however the bytes arrive. */
class RequestParsingTest {

    @Test
    void theRfcSampleParses() throws HttpException {
        HttpRequest request = Heads.parse(RFC_SAMPLE);

        assertEquals("GET", request.method());
        assertEquals("/chat", request.target());
        assertEquals("/chat", request.path());
        assertEquals("", request.query());
        assertEquals(Optional.of("server.example.com"), request.header("host"));
        assertEquals(List.of("chat, superchat"), request.headers("SEC-WEBSOCKET-PROTOCOL"));
        assertEquals(Set.of("host", "upgrade", "connection", "sec-websocket-key", "origin",
                "sec-websocket-protocol", "sec-websocket-version"), request.headerNames());
        assertEquals(List.of(), request.headers("Cookie"));
        assertEquals(Optional.empty(), request.header("Cookie"));
        String[] first = request.allHeaders().get(0);
        assertArrayEquals(new String[] {"Host", "server.example.com"}, first);
        assertEquals(7, request.allHeaders().size());
    }

    @Test
    void pathAndQuerySplitAtTheFirstQuestionMark() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET /chat?room=1&q=a?b HTTP/1.1", "Host: x"));
        assertEquals("/chat?room=1&q=a?b", request.target());
        assertEquals("/chat", request.path());
        assertEquals("room=1&q=a?b", request.query());
    }

    @Test
    void repeatedFieldsKeepEveryValueInOrder() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET / HTTP/1.1", "Host: x", "X-A: 1", "x-a: 2", "X-B: 3", "X-A: 4"));
        assertEquals(List.of("1", "2", "4"), request.headers("x-A"));
        assertEquals(Optional.of("1"), request.header("X-A"));
        List<String> namesAsSent = new ArrayList<>();
        request.allHeaders().forEach(field -> namesAsSent.add(field[0]));
        assertEquals(List.of("Host", "X-A", "x-a", "X-B", "X-A"), namesAsSent);
        assertEquals(List.of("host", "x-a", "x-b"), List.copyOf(request.headerNames()));
    }

    /** Fields stored as one byte (Upgrade: websocket and the like) read back as sent, mixed with every other kind. */
    @Test
    void commonFieldsReadBackExactlyAsSent() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET /chat HTTP/1.1", "Host: x", "Upgrade: websocket",
                "upgrade: WebSocket", "Connection: Upgrade", "X-Upgrade: websocket", "Connection: keep-alive, Upgrade",
                "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", "Pragma: no-cache", "Cache-Control: max-age=0"));
        List<String[]> all = request.allHeaders();
        List<String> sent = new ArrayList<>();
        all.forEach(field -> sent.add(field[0] + ": " + field[1]));
        assertEquals(List.of("Host: x", "Upgrade: websocket", "upgrade: WebSocket", "Connection: Upgrade",
                "X-Upgrade: websocket", "Connection: keep-alive, Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Version: 8", "Pragma: no-cache", "Cache-Control: max-age=0"), sent);
        assertEquals(List.of("websocket", "WebSocket"), request.headers("UPGRADE"));
        assertEquals(List.of("Upgrade", "keep-alive, Upgrade"), request.headers("connection"));
        assertEquals(List.of("13", "8"), request.headers("Sec-WebSocket-Version"));
        assertEquals(Optional.of("websocket"), request.header("x-upgrade"));
        assertEquals(List.of("host", "upgrade", "connection", "x-upgrade", "sec-websocket-version", "pragma",
                "cache-control"), List.copyOf(request.headerNames()));
        assertEquals("GET /chat [Host, Upgrade, upgrade, Connection, X-Upgrade, Connection, Sec-WebSocket-Version, "
                + "Sec-WebSocket-Version, Pragma, Cache-Control]", request.toString());
    }

    @Test
    void whitespaceAroundValuesIsTrimmedButNotInside() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET / HTTP/1.1", "Host:x", "X-A: \t a \t b \t ", "X-Empty:   "));
        assertEquals(Optional.of("x"), request.header("Host"));
        assertEquals(Optional.of("a \t b"), request.header("X-A"));
        assertEquals(Optional.of(""), request.header("X-Empty"));
    }

    @Test
    void bytesAbove0x7fInValuesAreKeptAsIso88591() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET / HTTP/1.1", "Host: x", "X-Name: caf\u00e9 \u00ff"));
        assertEquals(Optional.of("caf\u00e9 \u00ff"), request.header("X-Name"));
    }

    @Test
    void theRequestIsImmutable() throws HttpException {
        HttpRequest request = Heads.parse(RFC_SAMPLE);
        request.allHeaders().get(0)[1] = "evil.example.com";
        assertEquals(Optional.of("server.example.com"), request.header("Host"));
        assertEquals("server.example.com", request.allHeaders().get(0)[1]);
        assertThrows(UnsupportedOperationException.class, () -> request.headers("Host").add("evil"));
        assertThrows(UnsupportedOperationException.class, () -> request.headerNames().add("evil"));
    }

    @Test
    void absoluteFormIsReducedToPathAndQuery() throws HttpException {
        HttpRequest request = Heads.parse(Heads.head("GET http://example.com:8080/chat?room=1 HTTP/1.1", "Host: example.com"));
        assertEquals("/chat?room=1", request.target());
        assertEquals("/chat", request.path());
        assertEquals("room=1", request.query());

        assertEquals("/", Heads.parse(Heads.head("GET wss://example.com HTTP/1.1", "Host: x")).target());
        assertEquals("/?x=1", Heads.parse(Heads.head("GET WS://example.com?x=1 HTTP/1.1", "Host: x")).target());
        assertEquals("/a", Heads.parse(Heads.head("GET https://[::1]:443/a HTTP/1.1", "Host: x")).target());
    }

    @Test
    void aFewEmptyLinesBeforeTheRequestLineAreIgnored() throws HttpException {
        String crlfs = "\r\n".repeat(HttpRequestParser.MAX_LEADING_EMPTY_LINES);
        assertEquals(Heads.parse(RFC_SAMPLE), Heads.parse(crlfs + RFC_SAMPLE));
        HttpException tooMany = Heads.parseError("\r\n" + crlfs + RFC_SAMPLE);
        assertEquals(400, tooMany.status());
    }

    @Test
    void oneByteAtATimeGivesTheSameRequest() throws HttpException {
        HttpRequest whole = Heads.parse(RFC_SAMPLE);
        HttpRequest dribbled = Heads.feed(new HttpRequestParser(), Heads.oneByteReads(bytes(RFC_SAMPLE)));
        assertEquals(whole, dribbled);
        assertEquals(whole.hashCode(), dribbled.hashCode());
    }

    @Test
    void everySplitIntoTwoReadsGivesTheSameRequest() throws HttpException {
        HttpRequest whole = Heads.parse(RFC_SAMPLE);
        byte[] head = bytes(RFC_SAMPLE);
        for (int cut = 0; cut < head.length; cut++) {
            assertEquals(whole, Heads.feed(new HttpRequestParser(), Heads.twoReads(head, cut)), "cut at " + cut);
        }
    }

    @Test
    void aFrameInTheSameReadIsLeftAfterTheHead() throws HttpException {
        byte[] head = bytes(RFC_SAMPLE);
        ByteBuffer in = ByteBuffer.wrap(concat(head, MASKED_HELLO));

        HttpRequest request = new HttpRequestParser().parse(in);

        assertEquals(Heads.parse(RFC_SAMPLE), request);
        assertEquals(head.length, in.position());
        assertEquals(MASKED_HELLO.length, in.remaining());
        byte[] left = new byte[in.remaining()];
        in.get(left);
        assertArrayEquals(MASKED_HELLO, left);
    }

    @Test
    void aFrameIsLeftAfterTheHeadWhateverTheSplit() throws HttpException {
        byte[] head = bytes(RFC_SAMPLE);
        byte[] wire = concat(head, MASKED_HELLO);
        for (int cut = 0; cut < head.length; cut++) {
            HttpRequestParser parser = new HttpRequestParser();
            assertNull(parser.parse(ByteBuffer.wrap(wire, 0, cut)), "cut at " + cut);
            ByteBuffer rest = ByteBuffer.wrap(wire, cut, wire.length - cut);

            assertEquals(Heads.parse(RFC_SAMPLE), parser.parse(rest), "cut at " + cut);
            assertEquals(head.length, rest.position(), "cut at " + cut);
            assertEquals(MASKED_HELLO.length, rest.remaining(), "cut at " + cut);
        }
    }

    @Test
    void aFrameIsLeftAfterAHeadThatArrivedByteByByte() throws HttpException {
        byte[] head = bytes(RFC_SAMPLE);
        HttpRequestParser parser = new HttpRequestParser();
        for (int i = 0; i < head.length - 1; i++) {
            assertNull(parser.parse(ByteBuffer.wrap(new byte[] {head[i]})));
        }
        // The final LF comes in the same read as the first frame.
        ByteBuffer last = ByteBuffer.wrap(concat(new byte[] {'\n'}, MASKED_HELLO));

        assertEquals(Heads.parse(RFC_SAMPLE), parser.parse(last));
        assertEquals(1, last.position());
        assertEquals(MASKED_HELLO.length, last.remaining());
    }

    @Test
    void anEmptyReadNeedsMore() throws HttpException {
        assertNull(new HttpRequestParser().parse(ByteBuffer.allocate(0)));
    }

    @Test
    void aCompleteParserRefusesMoreBytes() throws HttpException {
        HttpRequestParser parser = new HttpRequestParser();
        parser.parse(ByteBuffer.wrap(bytes(RFC_SAMPLE)));
        ByteBuffer more = ByteBuffer.wrap(MASKED_HELLO);
        assertThrows(IllegalStateException.class, () -> parser.parse(more));
        assertEquals(0, more.position());
    }

    @Test
    void aFailedParserKeepsFailingTheSameWay() {
        HttpRequestParser parser = new HttpRequestParser();
        HttpException first = assertThrows(HttpException.class, () -> parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.0\r\n"))));
        HttpException again = assertThrows(HttpException.class, () -> parser.parse(ByteBuffer.wrap(bytes("\r\n"))));
        assertSame(first, again);
        assertEquals(400, again.status());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestParser(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestParser(10, -1));
    }
}

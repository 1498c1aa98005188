package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Response heads byte for byte, and every way a value could try to split one. */
class HttpResponsesTest {
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @Test
    void switchingProtocolsWithEverything() {
        ByteBuffer response = HttpResponses.switchingProtocols(ACCEPT, "chat",
                "permessage-deflate; server_no_context_takeover", List.<String[]>of(new String[] {"Set-Cookie", "id=1"}));
        assertEquals(0, response.position());
        assertEquals("""
                HTTP/1.1 101 Switching Protocols\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
                Sec-WebSocket-Protocol: chat\r
                Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r
                Set-Cookie: id=1\r
                \r
                """, text(response));
    }

    @Test
    void switchingProtocolsWithNothingOptional() {
        assertEquals("""
                HTTP/1.1 101 Switching Protocols\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
                \r
                """, text(HttpResponses.switchingProtocols(ACCEPT, null, null, List.of())));
    }

    @Test
    void anErrorWithExtraHeaders() {
        ByteBuffer response = HttpResponses.error(426, "Upgrade Required",
                List.<String[]>of(new String[] {"Sec-WebSocket-Version", "13"}));
        assertEquals("""
                HTTP/1.1 426 Upgrade Required\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 17\r
                Connection: close\r
                Sec-WebSocket-Version: 13\r
                \r
                Upgrade Required
                """, text(response));
    }

    @Test
    void anErrorFromAnException() {
        HttpException e = new HttpException(405, "Method Not Allowed", List.<String[]>of(new String[] {"Allow", "GET"}));
        assertEquals("""
                HTTP/1.1 405 Method Not Allowed\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 19\r
                Connection: close\r
                Allow: GET\r
                \r
                Method Not Allowed
                """, text(HttpResponses.error(e)));
        assertEquals(text(HttpResponses.error(400, "Bad Request", null)), text(HttpResponses.error(new HttpException(400, "Bad Request"))));
    }

    @Test
    void anErrorBodyIsUtf8AndItsLengthCountsBytes() {
        ByteBuffer response = HttpResponses.error(403, "Verboten f\u00fcr dich", null);
        String head = text(response);
        // 17 characters and a newline, one of them two bytes long in UTF-8
        assertEquals(true, head.contains("Content-Length: 19\r\n"), head);
        byte[] tail = new byte[19];
        response.position(response.limit() - 19);
        response.get(tail);
        assertEquals("Verboten f\u00fcr dich\n", new String(tail, StandardCharsets.UTF_8));
    }

    @Test
    void aPlainResponse() {
        ByteBuffer response = HttpResponses.response(200, "OK", List.<String[]>of(new String[] {"Content-Type", "text/html; charset=utf-8"}),
                "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/html; charset=utf-8\r
                Content-Length: 9\r
                Connection: close\r
                \r
                <p>hi</p>""", text(response));
    }

    @Test
    void a204HasNoBodyAndNoContentLength() {
        assertEquals("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", text(HttpResponses.response(204, "No Content", null, null)));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(204, "No Content", null, new byte[1]));
    }

    @Test
    void reasonPhrases() {
        assertEquals("Not Found", HttpResponses.reasonPhrase(404));
        assertEquals("Request Header Fields Too Large", HttpResponses.reasonPhrase(431));
        assertEquals("Upgrade Required", HttpResponses.reasonPhrase(426));
        assertEquals("Service Unavailable", HttpResponses.reasonPhrase(503));
        assertEquals("Unknown", HttpResponses.reasonPhrase(299));
    }

    @ParameterizedTest(name = "value {0}")
    @ValueSource(strings = {"a\r\nSet-Cookie: admin=1", "a\nb", "a\rb", "a\u0000b", "a\u007fb", "\u0100", "\u20ac"})
    void headerValuesThatCouldSplitAResponseAreRefused(String value) {
        List<String[]> header = List.<String[]>of(new String[] {"X-A", value});
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(ACCEPT, null, null, header));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.error(400, "Bad Request", header));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, "OK", header, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(400, "Bad Request", header));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(value, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(ACCEPT, null, value, null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(ACCEPT, value, null, null));
    }

    @ParameterizedTest(name = "name {0}")
    @ValueSource(strings = {"X-A: b\r\nX-B", "X A", "X:A", "", "X\u00e9"})
    void headerNamesMustBeTokens(String name) {
        List<String[]> header = List.<String[]>of(new String[] {name, "v"});
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, "OK", header, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(400, "Bad Request", header));
    }

    @Test
    void reasonPhrasesCannotSplitAResponse() {
        String reason = "OK\r\nSet-Cookie: admin=1";
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, reason, null, null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.error(400, reason, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(400, reason));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Content-Length", "content-length", "Transfer-Encoding", "Connection"})
    void extraHeadersCannotRepeatTheFramingOnes(String name) {
        List<String[]> header = List.<String[]>of(new String[] {name, "0"});
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, "OK", header, null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.error(400, "Bad Request", header));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(ACCEPT, null, null, header));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Upgrade", "Sec-WebSocket-Accept", "sec-websocket-protocol", "Sec-WebSocket-Extensions"})
    void extraHeadersCannotRepeatTheHandshakeOnes(String name) {
        List<String[]> header = List.<String[]>of(new String[] {name, "x"});
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.switchingProtocols(ACCEPT, null, null, header));
    }

    @Test
    void malformedHeaderArraysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, "OK", List.<String[]>of(new String[] {"X-A"}), null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(200, "OK", List.<String[]>of(new String[] {"X-A", null}), null));
    }

    @Test
    void statusesOutsideTheirRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.error(200, "OK", null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.error(600, "Too High", null));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.response(101, "Switching Protocols", null, null));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(302, "Found"));
    }

    @Test
    void anExceptionsHeadersCannotBeChangedFromOutside() {
        String[] allow = {"Allow", "GET"};
        HttpException e = new HttpException(405, "Method Not Allowed", List.<String[]>of(allow));
        allow[1] = "GET\r\nX-Evil: 1";
        e.headers().get(0)[1] = "POST\r\nX-Evil: 1";
        assertEquals("GET", e.headers().get(0)[1]);
        assertEquals(true, text(HttpResponses.error(e)).contains("Allow: GET\r\n\r\n"));
    }
}

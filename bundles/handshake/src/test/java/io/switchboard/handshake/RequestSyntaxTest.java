package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.head;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each syntax rule of the request head with the status it earns. Every head is fed both in one
 * read and byte by byte, and must fail the same way. Where another rule would also catch the
 * same bytes, the test checks the reason too, so that it fails if its own rule goes.
 */
class RequestSyntaxTest {

    /**
     * HTTP/1.0 has no upgrade and RFC 6455 §4.1 asks for 1.1 or higher: a bad request. Not 505,
     * which refuses the major version (RFC 9110 §15.6.6), and 1 is a major version served here.
     */
    @Test
    void http10Is400() {
        HttpException e = Heads.parseError(head("GET /chat HTTP/1.0", "Host: x"));
        assertEquals(400, e.status());
        assertEquals("WebSocket upgrade needs HTTP/1.1", e.reason());
    }

    /**
     * A later minor version of HTTP/1 is read as the highest one the server speaks (RFC 9110
     * §2.5), and RFC 6455 §4.1 asks for "1.1 or higher": no refusal.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"HTTP/1.2", "HTTP/1.9"})
    void laterMinorVersionsAreReadAs11(String version) throws HttpException {
        assertEquals("/chat", Heads.parse(head("GET /chat " + version, "Host: x")).target());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/9.1"})
    void otherMajorVersionsAre505(String version) {
        HttpException e = Heads.parseError(head("GET / " + version, "Host: x"));
        assertEquals(505, e.status());
        assertEquals("HTTP Version Not Supported", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http/1.1", "HTTP/1.1x", "HTTP/1", "HTTP/11", "HTTP/1.1 ", "HTTP/a.b", "HTTP/1,1", ""})
    void malformedVersionsAre400(String version) {
        assertEquals(400, Heads.parseError(head("GET / " + version, "Host: x")).status());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"GET  / HTTP/1.1", " GET / HTTP/1.1", "GET /", "GET", "GET\t/\tHTTP/1.1"})
    void malformedRequestLinesAre400(String requestLine) {
        assertEquals(400, Heads.parseError(head(requestLine, "Host: x")).status());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"G(ET", "GE\"T", "G@T", "GET\u0001", "G\u00e9T", "[GET]"})
    void methodsMustBeTokens(String method) {
        HttpException e = Heads.parseError(head(method + " / HTTP/1.1", "Host: x"));
        assertEquals(400, e.status());
        assertEquals("Invalid method", e.reason());
    }

    @Test
    void anyTokenIsAMethodForTheParser() throws HttpException {
        assertEquals("M-SEARCH", Heads.parse(head("M-SEARCH / HTTP/1.1", "Host: x")).method());
    }

    @Test
    void theAsteriskTargetIs400() {
        HttpException e = Heads.parseError(head("OPTIONS * HTTP/1.1", "Host: x"));
        assertEquals(400, e.status());
        assertEquals("Request target is not a path", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"example.com:443", "chat", "ftp://example.com/chat", "http:/chat", "mailto:a@b"})
    void targetsThatAreNeitherPathsNorWebUrisAre400(String target) {
        assertEquals(400, Heads.parseError(head("GET " + target + " HTTP/1.1", "Host: x")).status());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http:///chat", "http://user@example.com/chat", "ws://?x"})
    void absoluteFormNeedsAPlainAuthority(String target) {
        HttpException e = Heads.parseError(head("GET " + target + " HTTP/1.1", "Host: x"));
        assertEquals(400, e.status());
        assertEquals("Invalid authority in request target", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/caf\u00e9", "/chat#top", "/a\u0001b", "/a\u007fb"})
    void targetsAreVisibleAsciiWithoutFragment(String target) {
        HttpException e = Heads.parseError(head("GET " + target + " HTTP/1.1", "Host: x"));
        assertEquals(400, e.status());
        assertEquals("Invalid character in request target", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\n",
        "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"})
    void aBareLfIs400(String head) {
        HttpException e = Heads.parseError(head);
        assertEquals(400, e.status());
        assertEquals("Line ends with a bare LF", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\r\r\n"})
    void aCrNotFollowedByLfIs400(String head) {
        HttpException e = Heads.parseError(head);
        assertEquals(400, e.status());
        assertEquals("CR not followed by LF", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Host : x", "Host\t: x", "Ho st: x"})
    void whitespaceInOrAfterTheFieldNameIs400(String line) {
        HttpException e = Heads.parseError(head("GET / HTTP/1.1", line));
        assertEquals(400, e.status());
        assertEquals("Invalid header field name", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {": x", "X(y): z", "X\u00e9: z", "\"X\": y"})
    void fieldNamesMustBeTokens(String line) {
        assertEquals(400, Heads.parseError(head("GET / HTTP/1.1", "Host: x", line)).status());
    }

    @Test
    void aLineWithoutAColonIs400() {
        HttpException e = Heads.parseError(head("GET / HTTP/1.1", "Host: x", "X-Broken"));
        assertEquals(400, e.status());
        assertEquals("Header line without a colon", e.reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {" continued", "\tcontinued", " X: y"})
    void obsoleteLineFoldingIs400(String fold) {
        HttpException e = Heads.parseError(head("GET / HTTP/1.1", "Host: x", "X-Long: a", fold));
        assertEquals(400, e.status());
        assertEquals("Obsolete line folding", e.reason());
    }

    @ParameterizedTest(name = "char {0}")
    @ValueSource(ints = {0x00, 0x01, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f})
    void controlCharactersInValuesAre400(int control) {
        HttpException e = Heads.parseError(head("GET / HTTP/1.1", "Host: x", "X-A: a" + (char) control + "b"));
        assertEquals(400, e.status());
        assertEquals("Control character in header field value", e.reason());
    }

    @Test
    void aTabInsideAValueIsFine() throws HttpException {
        assertEquals("a\tb", Heads.parse(head("GET / HTTP/1.1", "Host: x", "X-A: a\tb")).header("X-A").orElseThrow());
    }
}

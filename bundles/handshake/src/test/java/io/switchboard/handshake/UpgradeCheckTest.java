package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.RFC_SAMPLE;
import static io.switchboard.handshake.Heads.head;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §4.2.1, check by check, with the status each failure earns. */
class UpgradeCheckTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String HOST = "Host: server.example.com";
    private static final String UPGRADE = "Upgrade: websocket";
    private static final String CONNECTION = "Connection: Upgrade";
    private static final String VERSION = "Sec-WebSocket-Version: 13";
    private static final String KEY_LINE = "Sec-WebSocket-Key: " + KEY;

    @Test
    void theRfcSampleHandshake() throws HttpException {
        WebSocketUpgrade upgrade = WebSocketUpgrade.check(Heads.parse(RFC_SAMPLE));

        assertEquals(KEY, upgrade.key());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketUpgrade.acceptKey(upgrade.key()));
        assertEquals(List.of("chat", "superchat"), upgrade.offeredSubprotocols());
        assertEquals(List.of(), upgrade.offeredExtensions());
        assertEquals("/chat", upgrade.request().path());
        assertEquals("""
                HTTP/1.1 101 Switching Protocols\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
                Sec-WebSocket-Protocol: chat\r
                \r
                """, Heads.text(HttpResponses.switchingProtocols(WebSocketUpgrade.acceptKey(upgrade.key()), "chat", null, null)));
    }

    @Test
    void webSocketRequestsAreThoseThatNameWebsocketOrCarryItsHeaders() throws HttpException {
        assertTrue(WebSocketUpgrade.isWebSocketRequest(Heads.parse(RFC_SAMPLE)));
        assertTrue(WebSocketUpgrade.isWebSocketRequest(Heads.parse(head("GET / HTTP/1.1", HOST, "Upgrade: h2c", KEY_LINE))));
        assertTrue(WebSocketUpgrade.isWebSocketRequest(Heads.parse(head("GET / HTTP/1.1", HOST, "Upgrade: h2c", VERSION))));
        assertFalse(WebSocketUpgrade.isWebSocketRequest(Heads.parse(head("GET / HTTP/1.1", HOST, "Upgrade: h2c"))));
        assertFalse(WebSocketUpgrade.isWebSocketRequest(Heads.parse(head("GET /index.html HTTP/1.1", HOST, CONNECTION))));
    }

    /**
     * Each request breaks one rule and every rule after it, so it must be answered by the rule
     * it breaks first: this is the order of the checks.
     */
    @Test
    void theChecksRunInOrder() {
        HttpException method = failure(head("POST /chat HTTP/1.1", "Sec-WebSocket-Protocol: a b"));
        assertEquals(405, method.status());
        assertEquals("Method Not Allowed", method.reason());
        assertHeaders(List.<String[]>of(new String[] {"Allow", "GET"}), method);

        assertFailure(400, "Exactly one Host header is required", head("GET /chat HTTP/1.1"));
        assertFailure(400, "Upgrade must include websocket", head("GET /chat HTTP/1.1", HOST));
        assertFailure(400, "Connection must include upgrade", head("GET /chat HTTP/1.1", HOST, UPGRADE));

        HttpException version = failure(head("GET /chat HTTP/1.1", HOST, UPGRADE, CONNECTION));
        assertEquals(426, version.status());
        assertEquals("Upgrade Required", version.reason());
        assertHeaders(List.<String[]>of(new String[] {"Sec-WebSocket-Version", "13"}, new String[] {"Upgrade", "websocket"}), version);

        assertFailure(400, "Exactly one Sec-WebSocket-Key header is required",
                head("GET /chat HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, "Sec-WebSocket-Protocol: a b"));
        assertFailure(400, "Invalid token in header list",
                head("GET /chat HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, KEY_LINE, "Sec-WebSocket-Protocol: a b",
                        "Sec-WebSocket-Extensions: ;x"));
        assertFailure(400, "Malformed Sec-WebSocket-Extensions",
                head("GET /chat HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, KEY_LINE, "Sec-WebSocket-Extensions: ;x"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"POST", "get", "HEAD", "CONNECT"})
    void onlyGetUpgrades(String method) {
        HttpException e = failure(upgradeWith(method, List.of()));
        assertEquals(405, e.status());
        assertHeaders(List.<String[]>of(new String[] {"Allow", "GET"}), e);
    }

    @Test
    void twoHostHeadersAre400() {
        assertFailure(400, "Exactly one Host header is required", upgradeWith("GET", List.of("Host: evil.example.com")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"websocket", "WebSocket", "WEBSOCKET", "h2c, websocket", "HTTP/2.0, websocket/13, websocket"})
    void upgradeTokensMatchIgnoringCaseAndInLists(String value) throws HttpException {
        WebSocketUpgrade.check(Heads.parse(head("GET / HTTP/1.1", HOST, "Upgrade: " + value, CONNECTION, VERSION, KEY_LINE)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"h2c", "websockets", "web socket", "websocket/13", ""})
    void anUpgradeWithoutWebsocketIs400(String value) {
        assertFailure(400, "Upgrade must include websocket",
                head("GET / HTTP/1.1", HOST, "Upgrade: " + value, CONNECTION, VERSION, KEY_LINE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Upgrade", "upgrade", "UPGRADE", "keep-alive, Upgrade", "Upgrade,keep-alive", " , keep-alive ,upgrade,"})
    void connectionTokensMatchIgnoringCaseAndInLists(String value) throws HttpException {
        WebSocketUpgrade.check(Heads.parse(head("GET / HTTP/1.1", HOST, UPGRADE, "Connection: " + value, VERSION, KEY_LINE)));
    }

    @Test
    void connectionTokensMayComeInSeveralLines() throws HttpException {
        WebSocketUpgrade.check(Heads.parse(head("GET / HTTP/1.1", HOST, UPGRADE, "Connection: keep-alive", "Connection: upgrade", VERSION, KEY_LINE)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"keep-alive", "close", "upgrades", "keep-alive upgrade"})
    void aConnectionWithoutUpgradeIs400(String value) {
        assertFailure(400, "Connection must include upgrade",
                head("GET / HTTP/1.1", HOST, UPGRADE, "Connection: " + value, VERSION, KEY_LINE));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"8", "12", "14", "013", "13, 8", "8, 13", "", "thirteen"})
    void aVersionOtherThan13Is426(String value) {
        HttpException e = failure(head("GET / HTTP/1.1", HOST, UPGRADE, CONNECTION, "Sec-WebSocket-Version: " + value, KEY_LINE));
        assertEquals(426, e.status());
        assertHeaders(List.<String[]>of(new String[] {"Sec-WebSocket-Version", "13"}, new String[] {"Upgrade", "websocket"}), e);
    }

    @Test
    void twoVersionHeadersAre426EvenIfBothSay13() {
        HttpException e = failure(head("GET / HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, VERSION, KEY_LINE));
        assertEquals(426, e.status());
    }

    @Test
    void aMissingVersionIs426() {
        assertEquals(426, failure(head("GET / HTTP/1.1", HOST, UPGRADE, CONNECTION, KEY_LINE)).status());
    }

    @Test
    void keysOf15And17BytesAre400() {
        assertBadKey(Base64.getEncoder().encodeToString(new byte[15]));
        assertBadKey(Base64.getEncoder().encodeToString(new byte[17]));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "!!!!!!!!!!!!!!!!!!!!!!==",      // not base64 at all
        "dGhlIHNhbXBsZSBub25jZQ",        // 16 bytes, but without its padding
        "dGhlIHNhbXBsZSBub25jZR==",      // stray bits in the last character
        "dGhlIHNhbXBsZSBub25jZQ==x",
        "dGhl IHNhbXBsZSBub25jZQ==",
        "dGhlIHNhbXBsZSBub25jZQ-_",      // the URL-safe alphabet is not base64
        ""})
    void keysThatAreNotCanonicalBase64Are400(String key) {
        assertBadKey(key);
    }

    @Test
    void twoKeysAre400() {
        assertFailure(400, "Exactly one Sec-WebSocket-Key header is required",
                upgradeWith("GET", List.of("Sec-WebSocket-Key: " + KEY)));
    }

    @Test
    void anyKeyOf16BytesIsFine() throws HttpException {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(key, WebSocketUpgrade.check(Heads.parse(
                head("GET / HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, "Sec-WebSocket-Key: " + key))).key());
    }

    @Test
    void subprotocolsAreListedAcrossHeaderLines() throws HttpException {
        WebSocketUpgrade upgrade = WebSocketUpgrade.check(Heads.parse(
                upgradeWith("GET", List.of("Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: superchat, v2.chat"))));
        assertEquals(List.of("chat", "superchat", "v2.chat"), upgrade.offeredSubprotocols());
    }

    @Test
    void extensionOffersAreParsedByCheck() throws HttpException {
        WebSocketUpgrade upgrade = WebSocketUpgrade.check(Heads.parse(
                upgradeWith("GET", List.of("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, foo"))));
        assertEquals("[permessage-deflate; client_max_window_bits, foo]", upgrade.offeredExtensions().toString());
    }

    @Test
    void acceptKeyIsBase64OfSha1OfKeyAndGuid() {
        assertEquals("258EAFA5-E914-47DA-95CA-C5AB0DC85B11", WebSocketUpgrade.GUID);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketUpgrade.acceptKey(KEY));
        // A second published pair (the Wikipedia article on WebSocket): another nonce, another answer.
        assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", WebSocketUpgrade.acceptKey("x3JJHMbDL1EzLkh9GBhXDw=="));
    }

    /**
     * The key check reads characters instead of decoding; it must agree with the definition it
     * replaces (decode as base64, 16 bytes, and re-encoding gives the same text) on every key
     * that differs from a valid one in one character, on every length, and on random valid keys.
     */
    @Test
    void keyCheckAgreesWithDecodingAndReencoding() {
        String valid = "dGhlIHNhbXBsZSBub25jZQ==";
        for (int at = 0; at < valid.length(); at++) {
            for (char c = 0; c < 0x180; c++) {
                String key = valid.substring(0, at) + c + valid.substring(at + 1);
                assertEquals(decodesToSixteenBytes(key), WebSocketUpgrade.isCanonicalKey(key), key);
            }
        }
        for (int length = 0; length <= 30; length++) {
            for (String key : List.of("A".repeat(length), "A".repeat(Math.max(0, length - 2)) + "==",
                    "A".repeat(Math.max(0, length - 1)) + "=")) {
                assertEquals(decodesToSixteenBytes(key), WebSocketUpgrade.isCanonicalKey(key), key);
            }
        }
        SplittableRandom random = new SplittableRandom(6455);
        byte[] nonce = new byte[16];
        for (int i = 0; i < 10_000; i++) {
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            assertTrue(WebSocketUpgrade.isCanonicalKey(key), key);
            String stray = key.substring(0, 21) + "BRhx".charAt(i % 4) + "=="; // low bits set in the last character
            assertEquals(decodesToSixteenBytes(stray), WebSocketUpgrade.isCanonicalKey(stray), stray);
        }
    }

    private static boolean decodesToSixteenBytes(String key) {
        try {
            byte[] nonce = Base64.getDecoder().decode(key);
            return nonce.length == 16 && Base64.getEncoder().encodeToString(nonce).equals(key);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** The RFC sample with {@code method} and the extra lines added after its own. */
    private static String upgradeWith(String method, List<String> extraLines) {
        List<String> lines = new ArrayList<>(List.of(HOST, UPGRADE, CONNECTION, VERSION, KEY_LINE));
        lines.addAll(extraLines);
        return head(method + " /chat HTTP/1.1", lines.toArray(String[]::new));
    }

    private static void assertBadKey(String key) {
        assertFailure(400, "Sec-WebSocket-Key must be 16 bytes in base64",
                head("GET / HTTP/1.1", HOST, UPGRADE, CONNECTION, VERSION, "Sec-WebSocket-Key: " + key));
    }

    private static HttpException failure(String head) {
        return assertThrows(HttpException.class, () -> WebSocketUpgrade.check(Heads.parse(head)));
    }

    private static void assertFailure(int status, String reason, String head) {
        HttpException e = failure(head);
        assertEquals(status, e.status(), reason);
        assertEquals(reason, e.reason());
    }

    private static void assertHeaders(List<String[]> expected, HttpException e) {
        List<String[]> actual = e.headers();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i));
        }
    }
}

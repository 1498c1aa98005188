package io.switchboard.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.codec.PerMessageDeflate;

/** The client's upgrade request, and each check of the server's answer (RFC 6455 §4.1, RFC 7692 §7.1). */
class ClientUpgradeTest {
    private static final PerMessageDeflate PLAIN_OFFER = new PerMessageDeflate(false, false);

    private static ClientUpgrade upgrade(List<String> subprotocols, PerMessageDeflate offer) {
        return new ClientUpgrade("example.com:8080", "/chat?room=1", subprotocols, offer,
                List.<String[]>of(new String[] {"Origin", "http://example.com"}));
    }

    /** A 101 for {@code upgrade} with the given extra lines. */
    private static HttpResponseHead answer(ClientUpgrade upgrade, String... lines) throws HttpException {
        return parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketUpgrade.acceptKey(upgrade.key()) + "\r\n"
                + String.join("", List.of(lines).stream().map(line -> line + "\r\n").toList()) + "\r\n");
    }

    private static HttpResponseHead parse(String head) throws HttpException {
        return new HttpResponseParser(8192, 100).parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theRequestIsOneAServerAccepts() throws HttpException {
        ClientUpgrade upgrade = upgrade(List.of("chat", "superchat"), new PerMessageDeflate(true, false, 10));

        WebSocketUpgrade checked = WebSocketUpgrade.check(new HttpRequestParser().parse(upgrade.request()));

        assertEquals(upgrade.key(), checked.key());
        assertEquals("/chat", checked.request().path());
        assertEquals(Optional.of("example.com:8080"), checked.request().header("Host"));
        assertEquals(Optional.of("http://example.com"), checked.request().header("Origin"));
        assertEquals(List.of("chat", "superchat"), checked.offeredSubprotocols());
        assertEquals(Optional.of(new PerMessageDeflate(true, false, 10)), checked.negotiateDeflate(false));
    }

    @Test
    void aPlainAnswerAgreesOnNothing() throws Exception {
        ClientUpgrade upgrade = upgrade(List.of(), null);

        ClientUpgrade.Agreed agreed = upgrade.check(answer(upgrade));

        assertEquals("", agreed.subprotocol());
        assertNull(agreed.deflate());
    }

    @Test
    void anOfferedSubprotocolAndDeflateAreAgreed() throws Exception {
        ClientUpgrade upgrade = upgrade(List.of("chat", "superchat"), PLAIN_OFFER);

        ClientUpgrade.Agreed agreed = upgrade.check(answer(upgrade, "Sec-WebSocket-Protocol: superchat",
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover"));

        assertEquals("superchat", agreed.subprotocol());
        assertEquals(new PerMessageDeflate(true, true, 0), agreed.deflate());
    }

    @Test
    void aRedirectIsReportedWithItsLocation() throws Exception {
        ClientUpgrade upgrade = upgrade(List.of(), null);

        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> upgrade.check(parse("HTTP/1.1 302 Found\r\nLocation: ws://elsewhere/chat\r\n\r\n")));

        assertEquals(302, refused.status());
        assertEquals(Optional.of("ws://elsewhere/chat"), refused.location());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: %s\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x%s\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %1$s\r\nSec-WebSocket-Accept: %1$s\r\n\r\n",
    })
    void anAnswerMissingARequiredPartIsRefused(String response) {
        ClientUpgrade upgrade = upgrade(List.of(), null);

        assertThrows(WebSocketHandshakeException.class,
                () -> upgrade.check(parse(response.formatted(WebSocketUpgrade.acceptKey(upgrade.key())))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Sec-WebSocket-Protocol: other",
        "Sec-WebSocket-Protocol: chat, superchat",
        "Sec-WebSocket-Extensions: x-webkit-deflate-frame",
        "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10",
        "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16",
        "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover=1",
        "Sec-WebSocket-Extensions: permessage-deflate; mystery",
    })
    void somethingNotOfferedIsRefused(String line) {
        ClientUpgrade upgrade = upgrade(List.of("chat", "superchat"), PLAIN_OFFER);

        assertThrows(WebSocketHandshakeException.class, () -> upgrade.check(answer(upgrade, line)));
    }

    @Test
    void extensionsWithoutAnOfferAreRefused() {
        ClientUpgrade upgrade = upgrade(List.of(), null);

        assertThrows(WebSocketHandshakeException.class,
                () -> upgrade.check(answer(upgrade, "Sec-WebSocket-Extensions: permessage-deflate")));
        assertThrows(WebSocketHandshakeException.class,
                () -> upgrade.check(answer(upgrade, "Sec-WebSocket-Protocol: chat")));
    }

    @Test
    void deflateParametersThatWereAskedForMustBeAnswered() throws Exception {
        ClientUpgrade asking = upgrade(List.of(), new PerMessageDeflate(true, false, 12));

        assertThrows(WebSocketHandshakeException.class,
                () -> asking.check(answer(asking, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12")));
        assertThrows(WebSocketHandshakeException.class, () -> asking.check(answer(asking,
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover")));
        assertThrows(WebSocketHandshakeException.class, () -> asking.check(answer(asking,
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=13")));
        assertEquals(new PerMessageDeflate(true, false, 9), asking.check(answer(asking,
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_max_window_bits=9")).deflate());
    }

    @Test
    void aClientThatOfferedNoContextTakeoverKeepsToIt() throws Exception {
        ClientUpgrade upgrade = upgrade(List.of(), new PerMessageDeflate(false, true));

        assertTrue(upgrade.check(answer(upgrade, "Sec-WebSocket-Extensions: permessage-deflate")).deflate().clientNoContextTakeover());
    }

    @Test
    void requestValuesThatCouldSplitTheHeadAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClientUpgrade("h", "/a b", List.of(), null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientUpgrade("h\r\nX: y", "/", List.of(), null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientUpgrade("h", "/", List.of("a b"), null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientUpgrade("h", "/", List.of(), null,
                List.<String[]>of(new String[] {"X-A", "1\r\nX-B: 2"})));
        assertThrows(IllegalArgumentException.class, () -> new ClientUpgrade("h", "/", List.of(), null,
                List.<String[]>of(new String[] {"Sec-WebSocket-Key", "x"})));
    }
}

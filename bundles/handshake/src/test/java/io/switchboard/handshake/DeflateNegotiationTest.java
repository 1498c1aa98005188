package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.head;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.codec.PerMessageDeflate;

/** permessage-deflate: the first acceptable offer wins, declined ones are passed over. */
class DeflateNegotiationTest {

    @Test
    void aDeclinedOfferIsPassedOverForTheNextOne() throws HttpException {
        // 16 is no window size, so the first offer is declined.
        WebSocketUpgrade upgrade = offering("permessage-deflate; server_max_window_bits=16, permessage-deflate");
        assertEquals(Optional.of(new PerMessageDeflate(false, false)), upgrade.negotiateDeflate(false));
        assertEquals(Optional.of(new PerMessageDeflate(true, true)), upgrade.negotiateDeflate(true));
    }

    @Test
    void theFirstAcceptableOfferWins() throws HttpException {
        WebSocketUpgrade upgrade = offering("permessage-deflate; client_no_context_takeover, permessage-deflate");
        assertEquals(Optional.of(new PerMessageDeflate(false, true)), upgrade.negotiateDeflate(false));
    }

    @Test
    void otherExtensionsAreSkipped() throws HttpException {
        WebSocketUpgrade upgrade = offering("x-webkit-deflate-frame, foo; server_no_context_takeover",
                "permessage-deflate; server_no_context_takeover");
        assertEquals(Optional.of(new PerMessageDeflate(true, false)), upgrade.negotiateDeflate(false));
    }

    @Test
    void nothingAcceptableMeansNoDeflate() throws HttpException {
        assertEquals(Optional.empty(), offering("permessage-deflate; server_max_window_bits=7, permessage-deflate; foo").negotiateDeflate(false));
        assertEquals(Optional.empty(), offering("x-webkit-deflate-frame").negotiateDeflate(false));
        assertEquals(Optional.empty(), offering().negotiateDeflate(true));
    }

    /**
     * The offers of the Autobahn TestSuite's cases 13.3 to 13.6, for every window size: each is
     * accepted, the window repeated (RFC 7692 §7.1.2.1), and below 15 server_no_context_takeover
     * added (§7.1.1.1), since only a message compressed on its own stays within a window narrower
     * than java.util.zip's. client_max_window_bits needs no answer (§7.1.2.2): the server
     * inflates any window up to 15.
     */
    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void autobahnOffersOfEveryWindowSizeAreAcceptedAndAnsweredExactly(int bits) throws HttpException {
        String takeover = "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=" + bits;
        String noTakeover = "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=" + bits;
        String withoutServerContext = "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=" + bits;

        assertEquals(bits < 15 ? withoutServerContext : "permessage-deflate; client_no_context_takeover; server_max_window_bits=15",
                offering(takeover).negotiateDeflate(false).orElseThrow().responseHeader());
        assertEquals(withoutServerContext, offering(noTakeover).negotiateDeflate(false).orElseThrow().responseHeader());
        assertEquals(withoutServerContext, offering(takeover).negotiateDeflate(true).orElseThrow().responseHeader());
    }

    private static WebSocketUpgrade offering(String... extensionValues) throws HttpException {
        String[] lines = new String[5 + extensionValues.length];
        lines[0] = "Host: example.com";
        lines[1] = "Upgrade: websocket";
        lines[2] = "Connection: Upgrade";
        lines[3] = "Sec-WebSocket-Version: 13";
        lines[4] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        for (int i = 0; i < extensionValues.length; i++) {
            lines[5 + i] = "Sec-WebSocket-Extensions: " + extensionValues[i];
        }
        return WebSocketUpgrade.check(Heads.parse(head("GET / HTTP/1.1", lines)));
    }
}

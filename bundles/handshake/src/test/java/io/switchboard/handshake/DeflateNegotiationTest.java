package io.switchboard.handshake;

import static io.switchboard.handshake.Heads.head;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.switchboard.codec.PerMessageDeflate;

/** permessage-deflate: the first acceptable offer wins, declined ones are passed over. */
class DeflateNegotiationTest {

    @Test
    void aDeclinedOfferIsPassedOverForTheNextOne() throws HttpException {
        // java.util.zip cannot compress with a 10-bit window, so the first offer is declined.
        WebSocketUpgrade upgrade = offering("permessage-deflate; server_max_window_bits=10, permessage-deflate");
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
        assertEquals(Optional.empty(), offering("permessage-deflate; server_max_window_bits=9, permessage-deflate; foo").negotiateDeflate(false));
        assertEquals(Optional.empty(), offering("x-webkit-deflate-frame").negotiateDeflate(false));
        assertEquals(Optional.empty(), offering().negotiateDeflate(true));
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

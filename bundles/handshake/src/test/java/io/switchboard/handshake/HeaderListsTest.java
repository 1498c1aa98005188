package io.switchboard.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.codec.ExtensionParameter;

/** Token lists and extension offers, across header lines. */
class HeaderListsTest {

    @Test
    void tokensAreSplitTrimmedAndJoinedAcrossValues() throws HttpException {
        assertEquals(List.of("chat", "superchat", "v2"), HeaderLists.tokens(List.of("chat, superchat", " \t,v2 ,, ")));
        assertEquals(List.of(), HeaderLists.tokens(List.of()));
        assertEquals(List.of(), HeaderLists.tokens(List.of("", " , ")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"a b", "a;b", "chat, super chat", "\"chat\"", "a/b", "caf\u00e9"})
    void invalidTokensAre400(String value) {
        HttpException e = assertThrows(HttpException.class, () -> HeaderLists.tokens(List.of("ok", value)));
        assertEquals(400, e.status());
    }

    @Test
    void containsTokenIgnoresCaseAndLooksAcrossValues() {
        assertTrue(HeaderLists.containsToken(List.of("keep-alive, Upgrade"), "upgrade"));
        assertTrue(HeaderLists.containsToken(List.of("keep-alive", "UPGRADE"), "upgrade"));
        assertFalse(HeaderLists.containsToken(List.of("keep-alive, upgrades"), "upgrade"));
        assertFalse(HeaderLists.containsToken(List.of(), "upgrade"));
    }

    @Test
    void containsTokenNeverThrows() {
        assertTrue(HeaderLists.containsToken(List.of("HTTP/2.0, \"quoted\", websocket"), "websocket"));
        assertFalse(HeaderLists.containsToken(List.of("web socket"), "web socket"));
        assertFalse(HeaderLists.containsToken(List.of("a,b"), "a,b"));
        assertFalse(HeaderLists.containsToken(List.of(""), ""));
    }

    @Test
    void anExtensionWithParameters() throws HttpException {
        List<ExtensionOffer> offers = HeaderLists.extensions(List.of("permessage-deflate; client_max_window_bits; server_max_window_bits=10"));
        assertEquals(List.of(new ExtensionOffer("permessage-deflate", List.of(
                new ExtensionParameter("client_max_window_bits", null),
                new ExtensionParameter("server_max_window_bits", "10")))), offers);
        assertEquals("permessage-deflate; client_max_window_bits; server_max_window_bits=10", offers.get(0).toString());
    }

    @Test
    void quotedValuesAreUnquoted() throws HttpException {
        List<ExtensionOffer> offers = HeaderLists.extensions(List.of("foo; bar=\"baz\"; client_max_window_bits=\"10\""));
        assertEquals(List.of(new ExtensionParameter("bar", "baz"), new ExtensionParameter("client_max_window_bits", "10")),
                offers.get(0).parameters());
        assertEquals("foo; bar=baz; client_max_window_bits=10", offers.get(0).toString());
    }

    @Test
    void backslashEscapesAreResolved() throws HttpException {
        List<ExtensionOffer> offers = HeaderLists.extensions(List.of("foo; a=\"x\\-y\"; b=\"\\1\\0\""));
        assertEquals(List.of(new ExtensionParameter("a", "x-y"), new ExtensionParameter("b", "10")), offers.get(0).parameters());
    }

    @Test
    void severalOffersInOneValueAndAcrossValues() throws HttpException {
        List<ExtensionOffer> offers = HeaderLists.extensions(List.of(
                "permessage-deflate; server_max_window_bits=10, permessage-deflate",
                " x-webkit-deflate-frame ,, foo ;bar = 1 ;baz"));
        assertEquals(List.of(
                "permessage-deflate; server_max_window_bits=10",
                "permessage-deflate",
                "x-webkit-deflate-frame",
                "foo; bar=1; baz"), offers.stream().map(ExtensionOffer::toString).toList());
    }

    @Test
    void emptyValuesOfferNothing() throws HttpException {
        assertEquals(List.of(), HeaderLists.extensions(List.of("", " , ,")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        ";x",                 // no extension name
        "a;b=",               // no value after '='
        "a;b=\"c d\"",        // the unquoted value is not a token
        "a;b=\"\"",           // nor is an empty one
        "a;b=\"c",            // unterminated quote
        "a;b=\"c\\",          // unterminated after an escape
        "a;b=\"c\\\"",        // the escaped quote does not close
        "a b",                // two tokens without a separator
        "a;",                 // no parameter after ';'
        "a;;b",
        "a;b=c d",
        "a;b=c=d",
        "a;b=\"c\"d",
        "a;b=(c)",
        "a=b",                // an extension has no value
        "\"a\"",
        "a;b=\"c,d\""})
    void malformedOffersAre400(String value) {
        HttpException e = assertThrows(HttpException.class, () -> HeaderLists.extensions(List.of("permessage-deflate", value)));
        assertEquals(400, e.status());
        assertEquals("Malformed Sec-WebSocket-Extensions", e.reason());
    }
}

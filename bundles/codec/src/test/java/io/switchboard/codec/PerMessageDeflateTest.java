package io.switchboard.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server side of the permessage-deflate negotiation (RFC 7692 §5 and §7.1). */
class PerMessageDeflateTest {
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private static ExtensionParameter param(String name) {
        return new ExtensionParameter(name, null);
    }

    private static ExtensionParameter param(String name, String value) {
        return new ExtensionParameter(name, value);
    }

    private static PerMessageDeflate accepted(List<ExtensionParameter> offer, boolean preferNoContextTakeover) {
        Optional<PerMessageDeflate> agreed = PerMessageDeflate.accept(offer, preferNoContextTakeover);
        return agreed.orElseThrow(() -> new AssertionError("offer " + offer + " was declined"));
    }

    private static void assertDeclined(List<ExtensionParameter> offer) {
        assertEquals(Optional.empty(), PerMessageDeflate.accept(offer, false), "offer " + offer);
        assertEquals(Optional.empty(), PerMessageDeflate.accept(offer, true), "offer " + offer + ", preferring no takeover");
    }

    // ---------------------------------------------------------------- accepted offers

    @Test
    void plainOfferIsAcceptedWithContextTakeoverOnBothSides() {
        PerMessageDeflate agreed = accepted(List.of(), false);
        assertEquals(new PerMessageDeflate(false, false), agreed);
        assertEquals("permessage-deflate", agreed.responseHeader());
    }

    @Test
    void serverNoContextTakeoverIsAcceptedAndEchoed() {
        PerMessageDeflate agreed = accepted(List.of(param(SERVER_NO_CONTEXT_TAKEOVER)), false);
        assertEquals(new PerMessageDeflate(true, false), agreed);
        assertEquals("permessage-deflate; server_no_context_takeover", agreed.responseHeader());
    }

    @Test
    void clientNoContextTakeoverIsAcceptedAndEchoed() {
        PerMessageDeflate agreed = accepted(List.of(param(CLIENT_NO_CONTEXT_TAKEOVER)), false);
        assertEquals(new PerMessageDeflate(false, true), agreed);
        assertEquals("permessage-deflate; client_no_context_takeover", agreed.responseHeader());
    }

    @Test
    void bothNoContextTakeoverParametersAreEchoedInEitherOrder() {
        String expected = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
        PerMessageDeflate one = accepted(List.of(param(SERVER_NO_CONTEXT_TAKEOVER), param(CLIENT_NO_CONTEXT_TAKEOVER)), false);
        PerMessageDeflate other = accepted(List.of(param(CLIENT_NO_CONTEXT_TAKEOVER), param(SERVER_NO_CONTEXT_TAKEOVER)), false);
        assertEquals(new PerMessageDeflate(true, true), one);
        assertEquals(new PerMessageDeflate(true, true), other);
        assertEquals(expected, one.responseHeader());
        assertEquals(expected, other.responseHeader());
    }

    @Test
    void clientMaxWindowBitsWithoutValueIsAcceptedAndNeedsNoAnswer() {
        PerMessageDeflate agreed = accepted(List.of(param(CLIENT_MAX_WINDOW_BITS)), false);
        assertEquals(new PerMessageDeflate(false, false), agreed);
        assertEquals("permessage-deflate", agreed.responseHeader());
    }

    @ParameterizedTest(name = "client_max_window_bits={0}")
    @ValueSource(strings = {"8", "9", "10", "11", "12", "13", "14", "15"})
    void clientMaxWindowBitsFrom8To15IsAccepted(String bits) {
        PerMessageDeflate agreed = accepted(List.of(param(CLIENT_MAX_WINDOW_BITS, bits)), false);
        assertEquals(new PerMessageDeflate(false, false), agreed);
        assertEquals("permessage-deflate", agreed.responseHeader());
    }

    @Test
    void serverMaxWindowBits15IsAccepted() {
        PerMessageDeflate agreed = accepted(List.of(param(SERVER_MAX_WINDOW_BITS, "15")), false);
        assertEquals(new PerMessageDeflate(false, false, 15), agreed);
    }

    /**
     * RFC 7692 §7.1.2.1: "A server accepts an extension negotiation offer with this parameter by
     * including the "server_max_window_bits" extension parameter in the extension negotiation
     * response to send back to the client with the same or smaller value as the offer."
     */
    @Test
    void acceptedServerMaxWindowBitsIsEchoedInTheResponse() {
        PerMessageDeflate agreed = accepted(List.of(param(SERVER_MAX_WINDOW_BITS, "15")), false);
        assertEquals("permessage-deflate; server_max_window_bits=15", agreed.responseHeader());
    }

    /**
     * java.util.zip has no narrower window, so below 15 the server compresses every message on its
     * own, and says so: RFC 7692 §7.1.1.1 lets a server add server_no_context_takeover unasked.
     */
    @ParameterizedTest(name = "server_max_window_bits={0}")
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14})
    void serverMaxWindowBitsBelow15IsAcceptedWithoutServerContextTakeover(int bits) {
        PerMessageDeflate agreed = accepted(List.of(param(SERVER_MAX_WINDOW_BITS, Integer.toString(bits))), false);
        assertEquals(new PerMessageDeflate(true, false, bits), agreed);
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=" + bits, agreed.responseHeader());
        assertEquals(1 << bits, agreed.maxCompressedLength());
    }

    @Test
    void onlyAWindowBelow15LimitsWhatIsCompressed() {
        assertEquals(Integer.MAX_VALUE, accepted(List.of(param(SERVER_MAX_WINDOW_BITS, "15")), false).maxCompressedLength());
        assertEquals(Integer.MAX_VALUE, accepted(List.of(), false).maxCompressedLength());
        assertEquals(Integer.MAX_VALUE, accepted(List.of(param(CLIENT_MAX_WINDOW_BITS, "8")), true).maxCompressedLength());
    }

    @Test
    void offerWithEveryParameterIsAccepted() {
        PerMessageDeflate agreed = accepted(List.of(
                param(SERVER_NO_CONTEXT_TAKEOVER), param(CLIENT_NO_CONTEXT_TAKEOVER),
                param(SERVER_MAX_WINDOW_BITS, "15"), param(CLIENT_MAX_WINDOW_BITS, "10")), false);
        assertEquals(new PerMessageDeflate(true, true, 15), agreed);
    }

    @Test
    void preferringNoContextTakeoverAddsBothParametersToTheResponse() {
        String both = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
        List<List<ExtensionParameter>> offers = List.of(
                List.of(),
                List.of(param(SERVER_NO_CONTEXT_TAKEOVER)),
                List.of(param(CLIENT_NO_CONTEXT_TAKEOVER)),
                List.of(param(CLIENT_MAX_WINDOW_BITS)),
                List.of(param(CLIENT_NO_CONTEXT_TAKEOVER), param(SERVER_NO_CONTEXT_TAKEOVER)));
        for (List<ExtensionParameter> offer : offers) {
            PerMessageDeflate agreed = accepted(offer, true);
            assertEquals(new PerMessageDeflate(true, true), agreed, "offer " + offer);
            assertEquals(both, agreed.responseHeader(), "offer " + offer);
        }
    }

    // ---------------------------------------------------------------- declined offers

    @ParameterizedTest(name = "client_max_window_bits=\"{0}\"")
    @ValueSource(strings = {"7", "16", "08", "015", "1a", "a", "", "0", "1", "99", "100", "-8", "+8", " 8", "8 ", "8\0", "\uFF18"})
    void clientMaxWindowBitsOutsideTheGrammarIsDeclined(String bits) {
        assertDeclined(List.of(param(CLIENT_MAX_WINDOW_BITS, bits)));
    }

    @ParameterizedTest(name = "server_max_window_bits=\"{0}\"")
    @ValueSource(strings = {"7", "16", "015", "08", "1a", "", "0", "-15", "+15", " 15", "150"})
    void serverMaxWindowBitsOutsideTheGrammarIsDeclined(String bits) {
        assertDeclined(List.of(param(SERVER_MAX_WINDOW_BITS, bits)));
    }

    @Test
    void serverMaxWindowBitsWithoutValueIsDeclined() {
        assertDeclined(List.of(param(SERVER_MAX_WINDOW_BITS)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"foo", "x-webkit-deflate-frame", "no_context_takeover", "server_no_context_takeovers",
            "client_max_window", "max_window_bits"})
    void unknownParameterIsDeclined(String name) {
        assertDeclined(List.of(param(name)));
        assertDeclined(List.of(param(SERVER_NO_CONTEXT_TAKEOVER), param(name, "1")));
    }

    @ParameterizedTest(name = "{0} twice")
    @ValueSource(strings = {SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER, SERVER_MAX_WINDOW_BITS,
            CLIENT_MAX_WINDOW_BITS})
    void duplicateParameterIsDeclined(String name) {
        boolean windowBits = name.endsWith("_bits");
        ExtensionParameter parameter = windowBits ? param(name, "15") : param(name);
        assertDeclined(List.of(parameter, parameter));
        if (name.equals(CLIENT_MAX_WINDOW_BITS)) {
            assertDeclined(List.of(param(name), param(name, "10")));
            assertDeclined(List.of(param(name, "10"), param(name)));
        }
    }

    @ParameterizedTest(name = "server_no_context_takeover=\"{0}\"")
    @ValueSource(strings = {"", "1", "true", "15"})
    void valueOnServerNoContextTakeoverIsDeclined(String value) {
        assertDeclined(List.of(param(SERVER_NO_CONTEXT_TAKEOVER, value)));
    }

    @ParameterizedTest(name = "client_no_context_takeover=\"{0}\"")
    @ValueSource(strings = {"", "1", "true", "15"})
    void valueOnClientNoContextTakeoverIsDeclined(String value) {
        assertDeclined(List.of(param(CLIENT_NO_CONTEXT_TAKEOVER, value)));
    }

    @Test
    void oneBadParameterDeclinesTheWholeOfferWhereverItStands() {
        List<ExtensionParameter> good = List.of(param(SERVER_NO_CONTEXT_TAKEOVER), param(CLIENT_NO_CONTEXT_TAKEOVER),
                param(CLIENT_MAX_WINDOW_BITS, "12"));
        ExtensionParameter bad = param(SERVER_MAX_WINDOW_BITS, "16");
        for (int at = 0; at <= good.size(); at++) {
            List<ExtensionParameter> offer = new ArrayList<>(good);
            offer.add(at, bad);
            assertDeclined(offer);
        }
    }

    @Test
    void parameterNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> new ExtensionParameter(null, "1"));
        assertThrows(IllegalArgumentException.class, () -> new ExtensionParameter("", null));
    }
}

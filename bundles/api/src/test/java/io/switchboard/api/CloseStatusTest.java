package io.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseStatusTest {

    // Each boundary of the code space, from both sides.

    @ParameterizedTest
    @ValueSource(ints = {1000, 1003, 1007, 1014, 3000, 4999})
    void codesAllowedInACloseFrameAreSendable(int code) {
        assertTrue(CloseStatus.isSendable(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535, 65536})
    void otherCodesAreNotSendable(int code) {
        assertFalse(CloseStatus.isSendable(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1003, 1007, 1014, 3000, 4999})
    void ofAcceptsSendableCodes(int code) {
        assertEquals(code, CloseStatus.of(code).code());
    }

    @ParameterizedTest
    @ValueSource(ints = {1005, 1006, 1015})
    void ofAcceptsTheCodesOnlyTheServerReports(int code) {
        assertEquals(code, CloseStatus.of(code).code());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 999, 1004, 1016, 2999, 5000, 65536})
    void ofRejectsCodesThatNeverAppear(int code) {
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(code));
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(code, "reason"));
    }

    // The reason limit is 123 bytes of UTF-8, not 123 chars.

    @Test
    void reasonOf123BytesIsAccepted() {
        String reason = "a".repeat(123);
        assertEquals(reason, CloseStatus.of(CloseStatus.NORMAL, reason).reason());
    }

    @Test
    void reasonOf124BytesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, "a".repeat(124)));
    }

    @Test
    void twoByteCharactersCountTwice() {
        String fits = "é".repeat(61) + "a";      // 62 chars, 123 bytes
        String tooLong = "é".repeat(62);         // 62 chars, 124 bytes
        assertUtf8Length(123, fits);
        assertUtf8Length(124, tooLong);
        CloseStatus.of(CloseStatus.NORMAL, fits);
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, tooLong));
    }

    @Test
    void threeByteCharactersCountThrice() {
        String fits = "€".repeat(41);            // 41 chars, 123 bytes
        String tooLong = "€".repeat(41) + "a";   // 42 chars, 124 bytes
        assertUtf8Length(123, fits);
        assertUtf8Length(124, tooLong);
        CloseStatus.of(CloseStatus.NORMAL, fits);
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, tooLong));
    }

    @Test
    void surrogatePairsCountAsFourBytes() {
        // Counting each surrogate as a 3-byte char would make this 183 bytes.
        String fits = "\uD83D\uDE00".repeat(30) + "abc";     // 63 chars, 123 bytes
        String tooLong = "\uD83D\uDE00".repeat(30) + "abcd"; // 64 chars, 124 bytes
        assertUtf8Length(123, fits);
        assertUtf8Length(124, tooLong);
        CloseStatus.of(CloseStatus.NORMAL, fits);
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, tooLong));
    }

    @Test
    void unpairedSurrogateIsRejectedBecauseUtf8CannotCarryIt() {
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, "a\uD83Db"));
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, "\uDE00"));
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.of(CloseStatus.NORMAL, "a\uD83D"));
    }

    @Test
    void noReasonIsTheEmptyStringAndNullIsRefused() {
        assertEquals("", CloseStatus.of(CloseStatus.GOING_AWAY).reason());
        assertThrows(NullPointerException.class, () -> CloseStatus.of(CloseStatus.NORMAL, null));
    }

    // Value semantics.

    @Test
    void equalCodeAndReasonMakeEqualStatuses() {
        CloseStatus a = CloseStatus.of(4000, "bye");
        CloseStatus b = CloseStatus.of(4000, new String("bye"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void codeAndReasonBothTakePartInEquality() {
        CloseStatus status = CloseStatus.of(4000, "bye");
        assertNotEquals(status, CloseStatus.of(4001, "bye"));
        assertNotEquals(status, CloseStatus.of(4000, "ciao"));
        assertNotEquals(status, null);
        assertNotEquals(status, "bye");
    }

    @Test
    void toStringShowsCodeAndReason() {
        String text = CloseStatus.of(1001, "restarting").toString();
        assertTrue(text.contains("1001") && text.contains("restarting"), text);
    }

    private static void assertUtf8Length(int expected, String text) {
        assertEquals(expected, text.getBytes(StandardCharsets.UTF_8).length, "test data");
    }
}

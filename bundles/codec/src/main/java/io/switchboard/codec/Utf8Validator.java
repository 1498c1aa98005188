package io.switchboard.codec;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 validation (RFC 3629) that fails at the first byte that cannot start or
 * continue a well-formed sequence, even when a sequence is split across frames or reads.
 *
 * <p>Overlong forms, UTF-16 surrogates (U+D800–U+DFFF) and code points above U+10FFFF are
 * rejected where RFC 3629's table rules them out: in the range allowed for the byte after the
 * lead byte. Runs of ASCII are checked eight bytes at a time.
 */
public final class Utf8Validator {
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Continuation bytes still expected for the sequence in progress. */
    private int pending;
    /** The range the next continuation byte must fall in (narrower right after some lead bytes). */
    private int lowest = 0x80;
    private int highest = 0xBF;

    /** Forgets any sequence in progress, for the start of a new message. */
    public void reset() {
        pending = 0;
        lowest = 0x80;
        highest = 0xBF;
    }

    /** True when no multi-byte sequence is left open: the text so far may end here. */
    public boolean isComplete() {
        return pending == 0;
    }

    /**
     * Validates bytes {@code [from, to)} of {@code buffer} as the continuation of everything
     * validated since the last {@link #reset()}.
     *
     * @return the index of the first invalid byte, or {@code -1} if every byte is valid so far
     */
    public int validate(ByteBuffer buffer, int from, int to) {
        int i = from;
        while (i < to) {
            if (pending == 0) {
                while (i + Long.BYTES <= to && (buffer.getLong(i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
            }
            int b = buffer.get(i) & 0xFF;
            if (pending == 0) {
                if (b >= 0x80 && !startSequence(b)) {
                    return i;
                }
            } else if (b < lowest || b > highest) {
                return i;
            } else {
                pending--;
                lowest = 0x80;
                highest = 0xBF;
            }
            i++;
        }
        return -1;
    }

    /** Validates the remaining bytes of {@code buffer}; see {@link #validate(ByteBuffer, int, int)}. */
    public int validate(ByteBuffer buffer) {
        return validate(buffer, buffer.position(), buffer.limit());
    }

    private boolean startSequence(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            pending = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            pending = 2;
            lowest = lead == 0xE0 ? 0xA0 : 0x80; // E0 80–9F would be overlong
            highest = lead == 0xED ? 0x9F : 0xBF; // ED A0–BF would be a surrogate
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            pending = 3;
            lowest = lead == 0xF0 ? 0x90 : 0x80; // F0 80–8F would be overlong
            highest = lead == 0xF4 ? 0x8F : 0xBF; // F4 90+ would pass U+10FFFF
        } else {
            return false; // a continuation byte, C0/C1 (always overlong), or F5–FF
        }
        return true;
    }
}

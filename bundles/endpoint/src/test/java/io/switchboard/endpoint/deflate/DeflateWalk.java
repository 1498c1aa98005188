package io.switchboard.endpoint.deflate;

import java.util.Arrays;

/**
 * A reader of the DEFLATE format (RFC 1951) written for tests: it inflates a permessage-deflate
 * payload block by block (stored, fixed Huffman and dynamic Huffman blocks, literal and
 * length/distance codes) and records the furthest back-reference, which {@code java.util.zip}
 * never tells. One walk per message when the sender keeps no context (a distance reaching before
 * the message's first byte is then an error); one for the whole connection when it does.
 */
final class DeflateWalk {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
            35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
            3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
            257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
            7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    /** The order in which a dynamic block sends the code lengths of its code-length code. */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** Everything inflated so far on this walk: the history back-references point into. */
    private byte[] history = new byte[1024];
    private int size;
    private int maxDistance;
    private int backReferences;

    private byte[] in;
    private long bit;

    /**
     * Inflates one message's payload (the sender stripped its trailing {@code 00 00 FF FF}; it is
     * put back, RFC 7692 §7.2.2) and returns the message.
     */
    byte[] message(byte[] payload) {
        in = Arrays.copyOf(payload, payload.length + SYNC_TAIL.length);
        System.arraycopy(SYNC_TAIL, 0, in, payload.length, SYNC_TAIL.length);
        bit = 0;
        int start = size;
        boolean last = false;
        while (!last && bit < in.length * 8L) {
            last = bits(1) == 1;
            switch (bits(2)) {
                case 0 -> stored();
                case 1 -> huffman(Huffman.FIXED_LITERALS, Huffman.FIXED_DISTANCES);
                case 2 -> dynamic();
                default -> throw new IllegalStateException("block type 3 is reserved");
            }
        }
        return Arrays.copyOfRange(history, start, size);
    }

    /** The furthest any back-reference reached, over every message walked. */
    int maxDistance() {
        return maxDistance;
    }

    int backReferences() {
        return backReferences;
    }

    private void stored() {
        bit = (bit + 7) & ~7L; // a stored block starts on a byte boundary
        int length = bits(16);
        int complement = bits(16);
        if ((length ^ 0xFFFF) != complement) {
            throw new IllegalStateException("stored block length " + length + " does not match its complement");
        }
        for (int i = 0; i < length; i++) {
            write(in[(int) (bit >>> 3) + i]);
        }
        bit += length * 8L;
    }

    private void dynamic() {
        int literalCodes = bits(5) + 257;
        int distanceCodes = bits(5) + 1;
        int codeLengthCodes = bits(4) + 4;
        int[] codeLengthLengths = new int[19];
        for (int i = 0; i < codeLengthCodes; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman codeLengths = new Huffman(codeLengthLengths);
        int[] lengths = new int[literalCodes + distanceCodes];
        for (int i = 0; i < lengths.length; ) {
            int symbol = decode(codeLengths);
            if (symbol < 16) {
                lengths[i++] = symbol;
                continue;
            }
            int value = 0;
            int repeat;
            if (symbol == 16) {
                if (i == 0) {
                    throw new IllegalStateException("a repeat with nothing before it");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (symbol == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > lengths.length) {
                throw new IllegalStateException("code lengths run past their count");
            }
            Arrays.fill(lengths, i, i + repeat, value);
            i += repeat;
        }
        huffman(new Huffman(Arrays.copyOf(lengths, literalCodes)),
                new Huffman(Arrays.copyOfRange(lengths, literalCodes, lengths.length)));
    }

    private void huffman(Huffman literals, Huffman distances) {
        while (true) {
            int symbol = decode(literals);
            if (symbol < 256) {
                write((byte) symbol);
            } else if (symbol == 256) {
                return;
            } else {
                symbol -= 257;
                if (symbol >= LENGTH_BASE.length) {
                    throw new IllegalStateException("length code " + (symbol + 257) + " is invalid");
                }
                int length = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
                int code = decode(distances);
                if (code >= DISTANCE_BASE.length) {
                    throw new IllegalStateException("distance code " + code + " is invalid");
                }
                int distance = DISTANCE_BASE[code] + bits(DISTANCE_EXTRA[code]);
                copy(distance, length);
            }
        }
    }

    private void copy(int distance, int length) {
        if (distance > size) {
            throw new IllegalStateException("distance " + distance + " reaches before the first of "
                    + size + " bytes inflated");
        }
        maxDistance = Math.max(maxDistance, distance);
        backReferences++;
        for (int i = 0; i < length; i++) { // byte by byte: the copy may overlap what it writes
            write(history[size - distance]);
        }
    }

    private void write(byte b) {
        if (size == history.length) {
            history = Arrays.copyOf(history, size * 2);
        }
        history[size++] = b;
    }

    /** The next {@code count} bits, least significant first (RFC 1951 §3.1.1). */
    private int bits(int count) {
        int value = 0;
        for (int i = 0; i < count; i++, bit++) {
            if (bit >>> 3 >= in.length) {
                throw new IllegalStateException("the deflate data ends inside a block");
            }
            value |= ((in[(int) (bit >>> 3)] >>> (bit & 7)) & 1) << i;
        }
        return value;
    }

    /** One symbol: Huffman codes are read most significant bit first, one bit at a time. */
    private int decode(Huffman code) {
        int value = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length <= Huffman.MAX_BITS; length++) {
            value |= bits(1);
            int count = code.counts[length];
            if (value - first < count) {
                return code.symbols[index + value - first];
            }
            index += count;
            first = (first + count) << 1;
            value <<= 1;
        }
        throw new IllegalStateException("no such Huffman code");
    }

    /** A canonical Huffman code (RFC 1951 §3.2.2): how many codes of each length, and the symbols in code order. */
    private static final class Huffman {
        static final int MAX_BITS = 15;
        static final Huffman FIXED_LITERALS;
        static final Huffman FIXED_DISTANCES;

        static {
            int[] literals = new int[288];
            Arrays.fill(literals, 0, 144, 8);
            Arrays.fill(literals, 144, 256, 9);
            Arrays.fill(literals, 256, 280, 7);
            Arrays.fill(literals, 280, 288, 8);
            FIXED_LITERALS = new Huffman(literals);
            int[] distances = new int[30];
            Arrays.fill(distances, 5);
            FIXED_DISTANCES = new Huffman(distances);
        }

        final int[] counts = new int[MAX_BITS + 1];
        final int[] symbols;

        Huffman(int[] lengths) {
            for (int length : lengths) {
                counts[length]++;
            }
            counts[0] = 0;
            int[] offsets = new int[MAX_BITS + 2];
            for (int length = 1; length <= MAX_BITS; length++) {
                offsets[length + 1] = offsets[length] + counts[length];
            }
            symbols = new int[offsets[MAX_BITS + 1]];
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] != 0) {
                    symbols[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }
    }
}

package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.switchboard.codec.PerMessageDeflate;

/**
 * Fuzz targets for the opening handshake: {@link HttpRequestParser}, {@link WebSocketUpgrade},
 * {@link HeaderLists} and the permessage-deflate negotiation. Without {@code JAZZER_FUZZ} (every
 * build) each target runs once per file in
 * {@code src/test/resources/io/switchboard/handshake/HandshakeFuzzTestInputs/<method>/}; the
 * {@code fuzz} profile fuzzes them for real.
 *
 * <p>The invariants, for any bytes a client may send: only {@link HttpException} escapes, with a
 * status the parser and the upgrade check document (400, 405, 414, 426, 431, 505); the head is
 * parsed alike however it is cut into reads, and the bytes after it are left unread; an
 * accepted offer's response header parses back into the same agreement; and every error turns
 * into a response.
 *
 * <p>Inputs of {@link #handshake} start with a count byte n (taken modulo 8) and n big-endian
 * 16-bit cut offsets; the rest is what the client sends. Inputs of {@link #extensionHeader} are
 * one {@code Sec-WebSocket-Extensions} value, as ISO-8859-1.
 */
class HandshakeFuzzTest {
    /** Small limits, so that the fuzzer reaches 414 and 431 with short inputs. */
    private static final int MAX_HEADER_BYTES = 1024;
    private static final int MAX_HEADER_COUNT = 16;
    private static final Set<Integer> STATUSES = Set.of(400, 405, 414, 426, 431, 505);
    private static final int MAX_SPLITS = 8;

    @FuzzTest(maxDuration = "2m")
    void handshake(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int splits = (input[0] & 0xFF) % MAX_SPLITS;
        int header = 1 + 2 * splits;
        if (input.length < header) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, header, input.length);
        int[] cuts = new int[splits];
        for (int i = 0; i < splits; i++) {
            int offset = (input[1 + 2 * i] & 0xFF) << 8 | (input[2 + 2 * i] & 0xFF);
            cuts[i] = offset % (bytes.length + 1);
        }
        Arrays.sort(cuts);

        Parsed whole = parse(List.of(bytes));
        Parsed split = parse(cut(bytes, cuts));
        if (!whole.equals(split)) {
            throw new AssertionError("reads cut at " + Arrays.toString(cuts) + " parse differently\n whole: "
                    + whole + "\n split: " + split);
        }
        if (whole.request() != null) {
            upgrade(whole.request());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void extensionHeader(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        List<ExtensionOffer> offers;
        try {
            offers = HeaderLists.extensions(List.of(value));
        } catch (HttpException e) {
            requireStatus(e);
            return;
        }
        for (ExtensionOffer offer : offers) {
            // What toString spells must parse back to the same offer: names and values are tokens.
            List<ExtensionOffer> again = parseBack(offer.toString());
            if (!again.equals(List.of(offer))) {
                throw new AssertionError("offer " + offer + " reads back as " + again);
            }
            if (offer.name().equals(PerMessageDeflate.NAME)) {
                accepted(offer, false);
                accepted(offer, true);
            }
        }
    }

    /**
     * The outcome of parsing a stream: the request and the offset of the first byte after its
     * head, or the status it failed with, or neither if the head never ended.
     */
    record Parsed(HttpRequest request, int end, int status) {
    }

    private static Parsed parse(List<byte[]> reads) {
        HttpRequestParser parser = new HttpRequestParser(MAX_HEADER_BYTES, MAX_HEADER_COUNT);
        int offset = 0;
        try {
            for (byte[] read : reads) {
                ByteBuffer in = ByteBuffer.wrap(read);
                HttpRequest request = parser.parse(in);
                if (request != null) {
                    return new Parsed(request, offset + in.position(), 0);
                }
                if (in.hasRemaining()) {
                    throw new AssertionError("null with " + in.remaining() + " bytes left");
                }
                offset += read.length;
            }
            return new Parsed(null, -1, 0);
        } catch (HttpException e) {
            requireStatus(e);
            return new Parsed(null, -1, e.status());
        }
    }

    private static void upgrade(HttpRequest request) {
        if (!request.path().startsWith("/")) {
            throw new AssertionError("path " + request.path() + " does not start with /");
        }
        for (String[] field : request.allHeaders()) {
            try {
                HeaderLists.extensions(List.of(field[1]));
            } catch (HttpException e) {
                requireStatus(e);
            }
            try {
                HeaderLists.tokens(List.of(field[1]));
            } catch (HttpException e) {
                requireStatus(e);
            }
        }
        WebSocketUpgrade upgrade;
        try {
            upgrade = WebSocketUpgrade.check(request);
        } catch (HttpException e) {
            requireStatus(e);
            return;
        }
        for (boolean prefer : new boolean[] {false, true}) {
            Optional<PerMessageDeflate> agreed = upgrade.negotiateDeflate(prefer);
            agreed.ifPresent(deflate -> {
                // The answer must read back, as the client will read it, into the same agreement.
                List<ExtensionOffer> answer = parseBack(deflate.responseHeader());
                if (answer.size() != 1 || !answer.get(0).name().equals(PerMessageDeflate.NAME)
                        || !PerMessageDeflate.accept(answer.get(0).parameters(), false).equals(Optional.of(deflate))) {
                    throw new AssertionError("answer " + deflate.responseHeader() + " does not read back as " + deflate);
                }
            });
        }
        String subprotocol = upgrade.offeredSubprotocols().isEmpty() ? null : upgrade.offeredSubprotocols().get(0);
        HttpResponses.switchingProtocols(WebSocketUpgrade.acceptKey(upgrade.key()), subprotocol,
                upgrade.negotiateDeflate(true).map(PerMessageDeflate::responseHeader).orElse(null), null);
    }

    private static void accepted(ExtensionOffer offer, boolean prefer) {
        PerMessageDeflate.accept(offer.parameters(), prefer).ifPresent(deflate -> {
            List<ExtensionOffer> answer = parseBack(deflate.responseHeader());
            if (!PerMessageDeflate.accept(answer.get(0).parameters(), false).equals(Optional.of(deflate))) {
                throw new AssertionError("answer " + deflate.responseHeader() + " does not read back as " + deflate);
            }
        });
    }

    private static List<ExtensionOffer> parseBack(String header) {
        try {
            return HeaderLists.extensions(List.of(header));
        } catch (HttpException e) {
            throw new AssertionError("our own header " + header + " does not parse: " + e.getMessage(), e);
        }
    }

    private static void requireStatus(HttpException e) {
        if (!STATUSES.contains(e.status())) {
            throw new AssertionError("status " + e.status() + ": " + e.getMessage());
        }
        ByteBuffer response = HttpResponses.error(e);
        if (!response.hasRemaining()) {
            throw new AssertionError("empty error response for " + e.status());
        }
    }

    private static List<byte[]> cut(byte[] bytes, int[] cuts) {
        List<byte[]> reads = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            reads.add(Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        reads.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return reads;
    }
}

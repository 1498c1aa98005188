package io.switchboard.endpoint.broadcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.endpoint.Broadcasts;
import io.switchboard.endpoint.broadcast.Subscribers.Member;
import io.switchboard.testing.Frame;

/**
 * What each member of a group gets on the wire with permessage-deflate: members without server
 * context takeover share one compressed form, byte for byte; a member with context takeover
 * gets frames from its own compressor (the second copy of a message refers back to the first and
 * is much shorter); a member without the extension and every short message get the plain frame.
 */
class BroadcastDeflateTest {
    private static final String NO_TAKEOVER = "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover";
    private static final String TAKEOVER = "Sec-WebSocket-Extensions: permessage-deflate";

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void membersWithoutContextTakeoverShareTheCompressedForm(boolean tls) throws Exception {
        String text = letters(1500, new Random(14));
        try (Subscribers world = new Subscribers(new Broadcasts().group(), tls, Subscribers.settings().perMessageDeflate(true).deflateContextTakeover(true))) {
            Member first = world.join(NO_TAKEOVER);
            Member second = world.join(NO_TAKEOVER);
            Member ownContext = world.join(TAKEOVER);
            Member plain = world.join();

            assertEquals(4, world.group.send(text));
            assertEquals(4, world.group.send(text));
            assertEquals(4, world.group.send("short: below the compression threshold"));

            Frame shared = first.client().readFrame();
            assertTrue(shared.rsv1());
            assertEquals(text, inflate(new Inflater(true), shared));
            for (Member member : new Member[] {first, second}) {
                for (int copy = member == first ? 1 : 0; copy < 2; copy++) {
                    Frame frame = member.client().readFrame();
                    assertTrue(frame.rsv1());
                    assertArrayEquals(shared.payload(), frame.payload(), "the same bytes for every member and every copy");
                }
            }

            Inflater context = new Inflater(true);
            Frame once = ownContext.client().readFrame();
            Frame again = ownContext.client().readFrame();
            assertTrue(once.rsv1() && again.rsv1());
            assertEquals(text, inflate(context, once));
            assertEquals(text, inflate(context, again));
            assertTrue(again.payload().length < shared.payload().length / 4,
                    "the second copy refers back to the first: " + again.payload().length + " bytes");

            Frame uncompressed = plain.client().readFrame();
            assertFalse(uncompressed.rsv1());
            assertEquals(text, uncompressed.text());
            assertEquals(text, plain.client().readFrame().text());

            for (Member member : new Member[] {first, second, ownContext, plain}) {
                Frame small = member.client().readFrame();
                assertFalse(small.rsv1());
                assertEquals("short: below the compression threshold", small.text());
            }
        }
    }

    /** Random letters: text that compresses, but not to nothing. */
    private static String letters(int length, Random random) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(8)));
        }
        return text.toString();
    }

    /** RFC 7692 §7.2.2: the stripped {@code 00 00 FF FF} goes back on before inflating. */
    private static String inflate(Inflater inflater, Frame frame) throws DataFormatException {
        byte[] payload = frame.payload();
        byte[] input = new byte[payload.length + 4];
        System.arraycopy(payload, 0, input, 0, payload.length);
        input[payload.length + 2] = (byte) 0xFF;
        input[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

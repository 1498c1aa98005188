package io.switchboard.endpoint.internal;

import static io.switchboard.endpoint.internal.TlsPair.assertIdle;
import static io.switchboard.endpoint.internal.TlsPair.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * {@link TlsChannel}'s buffers come from its loop's pool while they hold bytes and go back when
 * empty: over real TLS on loopback sockets, against the JDK's client engine (see {@link TlsPair}).
 */
class TlsBufferPoolTest {
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();

    @Test
    void anIdleConnectionHoldsNoBufferAfterTheHandshakeOrAnExchange() throws Exception {
        try (TlsPair pair = new TlsPair(pool).handshake()) {
            assertIdle(pair, "after the handshake");
            assertFalse(pool.isEmpty(), "the handshake's buffers went back to the pool");

            pair.clientWrite(pair.clientWrap("hello".getBytes()));
            await(() -> pair.serverRead() > 0, "the server's read");
            assertEquals("hello", pair.serverReceived.toString());
            assertEquals(5, pair.server.write(null, ByteBuffer.wrap("hello".getBytes())));
            await(() -> {
                pair.clientRead();
                return pair.clientReceived.size() == 5;
            }, "the client's read");
            assertEquals("hello", pair.clientReceived.toString());
            assertIdle(pair, "after an exchange");
            assertPoolSound();
        }
    }

    @Test
    void aRecordSplitAtEveryByteIsKeptAcrossReadsAndDeliveredWhole() throws Exception {
        try (TlsPair pair = new TlsPair(pool).handshake()) {
            byte[] message = "a record cut in two, at every place it can be cut".getBytes();
            for (int cut = 1; ; cut++) {
                ByteBuffer record = pair.clientWrap(message);
                if (cut >= record.remaining()) {
                    break;
                }
                pair.serverReceived.reset();
                int end = record.limit();
                pair.clientWrite(record.limit(cut));
                assertEquals(0, pair.serverRead(), "cut at " + cut + ": no plaintext from part of a record");
                assertTrue(pair.server.hasBufferedInput() && pair.server.holdsBuffers(),
                        "cut at " + cut + ": the partial record is kept");
                pair.clientWrite(record.limit(end));
                assertEquals(message.length, pair.serverRead(), "cut at " + cut + ": the whole record's plaintext");
                assertArrayEquals(message, pair.serverReceived.toByteArray(), "cut at " + cut);
                assertIdle(pair, "cut at " + cut);
            }
            assertPoolSound();
        }
    }

    @Test
    void aLargeMessageGoesBothWaysThenNothingIsHeld() throws Exception {
        byte[] large = new byte[(1 << 20) + 17];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + (i >> 9));
        }
        try (TlsPair pair = new TlsPair(pool).handshake()) {
            pair.clientWrite(pair.clientWrap(large));
            await(() -> {
                pair.serverRead();
                return pair.serverReceived.size() == large.length;
            }, "the server's reads");
            assertArrayEquals(large, pair.serverReceived.toByteArray(), "client to server");

            ByteBuffer out = ByteBuffer.wrap(large);
            await(() -> {
                if (pair.server.flushPending(null)) {
                    pair.server.write(null, out);
                }
                pair.clientRead();
                return !out.hasRemaining() && !pair.server.hasPendingOutput();
            }, "the server's writes");
            await(() -> {
                pair.clientRead();
                return pair.clientReceived.size() == large.length;
            }, "the client's reads");
            assertArrayEquals(large, pair.clientReceived.toByteArray(), "server to client");
            assertIdle(pair, "after 1 MiB each way");
            assertPoolSound();
        }
    }

    @Test
    void manyConnectionsOnOneLoopShareAFewBuffers() throws Exception {
        List<TlsPair> pairs = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                TlsPair pair = new TlsPair(pool).handshake();
                pairs.add(pair);
                byte[] message = ("message " + i).getBytes();
                pair.clientWrite(pair.clientWrap(message));
                await(() -> pair.serverRead() > 0, "connection " + i + "'s read");
                pair.server.write(null, ByteBuffer.wrap(message));
            }
            for (TlsPair pair : pairs) {
                assertIdle(pair, "each of 40 connections");
            }
            // A loop serves one connection at a time: what one borrowed, the next one reused.
            assertTrue(pool.size() <= 3, "40 connections served one after another share " + pool.size()
                    + " buffers (at most three: one connection's)");
            assertPoolSound();
        } finally {
            for (TlsPair pair : pairs) {
                pair.close();
            }
        }
    }

    @Test
    void closeNotifyGoesOutAfterPendingCiphertextWhileBuffersAreLent() throws Exception {
        try (TlsPair pair = new TlsPair(pool).handshake()) {
            // The server's output backs up (the client reads nothing yet): its ciphertext stays lent.
            ByteBuffer out = ByteBuffer.wrap(new byte[64 << 20]);
            while (out.hasRemaining() && !pair.server.hasPendingOutput()) {
                pair.server.write(null, out); // until the socket takes no more
            }
            assertTrue(pair.server.hasPendingOutput(), "the socket stopped taking ciphertext");
            int sent = out.position();
            // Half a record from the client: its input stays lent too.
            byte[] message = "the last words".getBytes();
            ByteBuffer record = pair.clientWrap(message);
            int end = record.limit();
            pair.clientWrite(record.limit(5));
            assertEquals(0, pair.serverRead());
            assertTrue(pair.server.hasBufferedInput() && pair.server.hasPendingOutput(), "both buffers lent");

            pair.server.shutdownOutput(null); // as after the Close frame: close_notify behind what is pending
            await(() -> {
                pair.clientRead();
                return pair.server.flushPending(null) && pair.client.isInboundDone();
            }, "the server's pending records and close_notify");
            assertEquals(sent, pair.clientReceived.size(), "everything written before close_notify arrived");

            pair.clientWrite(record.limit(end));
            pair.clientWrite(pair.clientCloseNotify());
            await(() -> pair.serverRead() < 0 || pair.serverEnded, "the end of the server's input");
            assertArrayEquals(message, pair.serverReceived.toByteArray(), "the record before close_notify");
            assertIdle(pair, "after close_notify both ways");
            assertPoolSound();
        }
    }

    @Test
    void aKeyUpdateFromTheClientIsAnsweredAndTheNewKeysCarryDataBothWays() throws Exception {
        try (TlsPair pair = new TlsPair(pool).handshake()) {
            pair.client.beginHandshake(); // on an established TLS 1.3 engine: a KeyUpdate asking for the server's
            pair.handshake(); // drives it through, with a record after it each way
            byte[] reply = "with the new keys".getBytes();
            assertEquals(reply.length, pair.server.write(null, ByteBuffer.wrap(reply)));
            pair.clientReceived.reset();
            await(() -> {
                pair.clientRead();
                return pair.clientReceived.size() == reply.length;
            }, "the client's read after the key update");
            assertArrayEquals(reply, pair.clientReceived.toByteArray());
            assertIdle(pair, "after the key update");
            assertPoolSound();
        }
    }

    /** Bounded, and no buffer in it twice (given back twice, it would be lent to two connections). */
    private void assertPoolSound() {
        assertTrue(pool.size() <= TlsChannel.POOL_BOUND, "pool of " + pool.size());
        Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(pool);
        assertEquals(pool.size(), distinct.size(), "buffers in the pool twice");
        for (ByteBuffer buffer : pool) {
            assertEquals(0, buffer.position(), "a pooled buffer is empty");
        }
    }
}

package io.switchboard.endpoint.client;

import static io.switchboard.endpoint.interop.Await.done;
import static io.switchboard.endpoint.interop.Await.take;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.api.CloseStatus;
import io.switchboard.api.Connection;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.endpoint.WebSocketClient;

/**
 * What the client must do with any third-party server, each of which runs the same small peer on
 * {@code /echo}: it echoes, and it obeys commands sent as text ({@code fragments a b c} answers
 * with one message in those fragments, {@code ping DATA} pings the client, {@code close CODE
 * REASON} closes), records the pongs it gets and the close each client connection ended with
 * (by the client's port), and agrees to subprotocol {@code b}. Subclasses start their server.
 */
abstract class PeerServerInteropContract {
    static final int MAX_MESSAGE = 2 << 20;

    /** The peer's name, as it appears in messages. */
    abstract String peer();

    /** The peer's echo, ws://. */
    abstract URI echo();

    /** The client the tests share, its messages up to {@link #MAX_MESSAGE}. */
    abstract WebSocketClient client();

    /** The payloads of the pongs the peer received. */
    abstract BlockingQueue<byte[]> peerPongs();

    /** The close the peer saw on the connection from the client's {@code port}. */
    abstract CompletableFuture<CloseStatus> peerCloseOf(int port);

    @Test
    void textBinaryAndLargeMessages() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client().connect(echo(), inbox));
        byte[] large = new byte[1_000_000];
        new Random(12).nextBytes(large);
        String largeText = "€𝄞".repeat(100_000);

        connection.send("hello " + peer());
        connection.send(ByteBuffer.wrap(new byte[] {9, 8, 7}));
        connection.send(ByteBuffer.wrap(large));
        connection.send(largeText);

        assertEquals("hello " + peer(), take(inbox.texts));
        assertArrayEquals(new byte[] {9, 8, 7}, take(inbox.binaries));
        assertArrayEquals(large, take(inbox.binaries));
        assertEquals(largeText, take(inbox.texts));
        connection.close();
        assertEquals(CloseStatus.NORMAL, inbox.awaitDisconnect().code());
    }

    @Test
    void fragmentedMessagesFromThePeerAreAssembled() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client().connect(echo(), inbox));

        connection.send("fragments one- two- three");

        assertEquals("one-two-three", take(inbox.texts));
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void pingsGoBothWays() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client().connect(echo(), inbox));

        connection.ping(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, take(inbox.pongs));

        connection.send("ping from" + peer());
        assertArrayEquals(("from" + peer()).getBytes(StandardCharsets.UTF_8), take(peerPongs()));
        connection.close();
        inbox.awaitDisconnect();
    }

    @Test
    void closeCodesGoBothWays() throws Exception {
        Inbox closing = new Inbox();
        Connection connection = done(client().connect(echo(), closing));
        connection.close(4100, "client done");
        assertEquals(CloseStatus.of(4100, "client done"), done(peerCloseOf(connection.request().localAddress().getPort())));
        assertEquals(4100, closing.awaitDisconnect().code());

        Inbox closed = new Inbox();
        Connection closedByPeer = done(client().connect(echo(), closed));
        closedByPeer.send("close 4200 " + peer() + "-done");
        assertEquals(CloseStatus.of(4200, peer() + "-done"), closed.awaitDisconnect());
        // the client's answer repeats the code, as RFC 6455 §5.5.1 has it
        assertEquals(4200, done(peerCloseOf(closedByPeer.request().localAddress().getPort())).code());
        assertEquals(1, closed.disconnects.get());
    }

    @Test
    void aSubprotocolIsAgreed() throws Exception {
        Inbox inbox = new Inbox();
        Connection connection = done(client().connect(echo(), List.of("a", "b"), List.of(), inbox));

        assertEquals("b", connection.subprotocol());
        connection.close();
        inbox.awaitDisconnect();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void permessageDeflateWorksBothWays(boolean noContextTakeover) throws Exception {
        try (WebSocketClient deflating = WebSocketClient.builder().maxMessageSize(MAX_MESSAGE)
                .perMessageDeflate(new PerMessageDeflate(noContextTakeover, noContextTakeover)).build()) {
            Inbox inbox = new Inbox();
            Connection connection = done(deflating.connect(echo(), inbox));
            String text = "deflate me, ".repeat(20_000);

            for (int i = 0; i < 3; i++) {
                connection.send(text);
                connection.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                assertEquals(text, take(inbox.texts));
                assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), take(inbox.binaries));
            }

            assertEquals(List.of(PerMessageDeflate.NAME), connection.extensions());
            connection.close();
            inbox.awaitDisconnect();
        }
    }
}

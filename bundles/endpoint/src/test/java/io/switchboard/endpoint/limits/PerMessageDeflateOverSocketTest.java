package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.codec.DecoderLimits;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.codec.Role;
import io.switchboard.endpoint.WebSocketServer;
import io.switchboard.testing.Frame;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawResponse;
import io.switchboard.testing.RawWebSocketClient;
import io.switchboard.testing.UpgradeRequest;

/**
 * permessage-deflate on the wire, byte by byte: the negotiation answer, compressed frames in,
 * RSV1 on the large replies and not on the small ones, and a decompression bomb refused with 1009.
 */
class PerMessageDeflateOverSocketTest {
    private WebSocketServer server;
    private RawWebSocketClient client;

    @BeforeEach
    void connect() throws Exception {
        server = Servers.local().perMessageDeflate(true).deflateContextTakeover(true).route("/echo", new Recorder()).start();
        client = RawWebSocketClient.connect(server.port());
        client.send(UpgradeRequest.to("/echo", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.stop();
    }

    @Test
    void theOfferIsAcceptedInTheAnswer() throws Exception {
        RawResponse head = client.readResponseHead();
        UpgradeRequest.assertSwitchingProtocols(head);
        assertEquals(List.of("permessage-deflate"), head.headers("Sec-WebSocket-Extensions"), head::toString);
    }

    /**
     * Left at its defaults, a server answers an offer like a browser's (context takeover allowed
     * both ways) with both no-context-takeover parameters, which RFC 7692 §7.1.1 lets a server
     * add: no zlib state stays with the connection between messages.
     */
    @Test
    void aServerAtItsDefaultsResetsBothContexts() throws Exception {
        WebSocketServer lean = Servers.local().perMessageDeflate(true).route("/echo", new Recorder()).start();
        try (RawWebSocketClient browserLike = RawWebSocketClient.connect(lean.port())) {
            browserLike.send(UpgradeRequest.to("/echo", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
            RawResponse head = browserLike.readResponseHead();
            UpgradeRequest.assertSwitchingProtocols(head);
            assertEquals(List.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                    head.headers("Sec-WebSocket-Extensions"), head::toString);
        } finally {
            lean.stop();
        }
    }

    @Test
    void aCompressedMessageIsInflatedAndTheLargeEchoComesBackCompressed() throws Exception {
        client.readResponseHead();
        String text = "compress me, please ".repeat(500);
        sendCompressed(text.getBytes(StandardCharsets.UTF_8));
        Frame reply = client.readFrame();
        assertTrue(reply.rsv1(), "RSV1 marks a compressed reply");
        byte[] wire = reply.toBytes();
        assertTrue(wire.length < text.length() / 10, "compressed to " + wire.length + " bytes");
        MessageDecoder decoder = new MessageDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false));
        assertEquals(Opcode.TEXT, decoder.decode(ByteBuffer.wrap(wire)));
        assertEquals(text, StandardCharsets.UTF_8.decode(decoder.payload()).toString());
    }

    @Test
    void aSmallEchoGoesUncompressed() throws Exception {
        client.readResponseHead();
        sendCompressed("hi".getBytes(StandardCharsets.UTF_8));
        Frame reply = client.readFrame();
        assertFalse(reply.rsv1(), "a 2-byte reply is not worth compressing");
        assertEquals(Opcode.TEXT, reply.opcode(), reply::toString);
        assertEquals("hi", reply.text());
    }

    @Test
    void aDecompressionBombIsRefusedWith1009() throws Exception {
        client.readResponseHead();
        byte[] bomb = deflatedZeros(64 << 20); // 64 MiB of zeros in about 64 KiB
        client.send(client.frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.BINARY, bomb));
        Frame reply = client.readFrame();
        assertEquals(Frames.FIN | Frames.CLOSE, reply.first(), "a close frame: " + reply);
        assertEquals(1009, reply.closeCode());
    }

    private void sendCompressed(byte[] message) throws IOException {
        ByteBuffer deflated = new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION).deflate(ByteBuffer.wrap(message));
        byte[] payload = new byte[deflated.remaining()];
        deflated.get(payload);
        client.send(client.frameWithFlags(Frames.FIN | Frames.RSV1, Opcode.TEXT, payload));
    }

    private static byte[] deflatedZeros(int size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        for (int fed = 0; fed < size; fed += zeros.length) {
            deflater.setInput(zeros);
            for (int n; (n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0; ) {
                compressed.write(buffer, 0, n);
            }
        }
        deflater.end();
        return compressed.toByteArray();
    }
}

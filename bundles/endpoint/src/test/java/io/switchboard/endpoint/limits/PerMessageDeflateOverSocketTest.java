package io.switchboard.endpoint.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.codec.DecoderLimits;
import io.switchboard.codec.FrameWriter;
import io.switchboard.codec.MessageDecoder;
import io.switchboard.codec.MessageDeflater;
import io.switchboard.codec.Opcode;
import io.switchboard.codec.PerMessageDeflate;
import io.switchboard.codec.Role;
import io.switchboard.endpoint.WebSocketServer;

/**
 * permessage-deflate on the wire, byte by byte: the negotiation answer, compressed frames in,
 * RSV1 on the large replies and not on the small ones, and a decompression bomb refused with 1009.
 */
class PerMessageDeflateOverSocketTest {
    private WebSocketServer server;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    @BeforeEach
    void connect() throws Exception {
        server = Servers.local().perMessageDeflate(true).route("/echo", new Recorder()).start();
        socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        server.stop();
    }

    @Test
    void theOfferIsAcceptedInTheAnswer() throws Exception {
        String head = readHead();
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertTrue(head.contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"), head);
    }

    @Test
    void aCompressedMessageIsInflatedAndTheLargeEchoComesBackCompressed() throws Exception {
        readHead();
        String text = "compress me, please ".repeat(500);
        sendCompressed(text.getBytes(StandardCharsets.UTF_8));
        byte[] reply = readFrame();
        assertEquals(0x40, reply[0] & 0x40, "RSV1 marks a compressed reply");
        assertTrue(reply.length < text.length() / 10, "compressed to " + reply.length + " bytes");
        MessageDecoder decoder = new MessageDecoder(Role.CLIENT, DecoderLimits.DEFAULT, new PerMessageDeflate(false, false));
        assertEquals(Opcode.TEXT, decoder.decode(ByteBuffer.wrap(reply)));
        assertEquals(text, StandardCharsets.UTF_8.decode(decoder.payload()).toString());
    }

    @Test
    void aSmallEchoGoesUncompressed() throws Exception {
        readHead();
        sendCompressed("hi".getBytes(StandardCharsets.UTF_8));
        byte[] reply = readFrame();
        assertEquals(0, reply[0] & 0x40, "a 2-byte reply is not worth compressing");
        assertEquals("hi", new String(reply, 2, reply.length - 2, StandardCharsets.UTF_8));
    }

    @Test
    void aDecompressionBombIsRefusedWith1009() throws Exception {
        readHead();
        byte[] bomb = deflatedZeros(64 << 20); // 64 MiB of zeros in about 64 KiB
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerSize(bomb.length, true) + bomb.length);
        FrameWriter.writeFrame(frame, true, true, Opcode.BINARY, ByteBuffer.wrap(bomb), true, 0x1234_5678);
        out.write(frame.array(), 0, frame.position());
        byte[] reply = readFrame();
        assertEquals(0x88, reply[0] & 0xFF, "a close frame");
        assertEquals(1009, (reply[2] & 0xFF) << 8 | (reply[3] & 0xFF));
    }

    private void sendCompressed(byte[] message) throws IOException {
        ByteBuffer payload = new MessageDeflater(false, Deflater.DEFAULT_COMPRESSION).deflate(ByteBuffer.wrap(message));
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.MAX_HEADER_SIZE + payload.remaining());
        FrameWriter.writeFrame(frame, true, true, Opcode.TEXT, payload, true, 0x0A0B_0C0D);
        out.write(frame.array(), 0, frame.position());
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

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    /** One unmasked server frame, header included. */
    private byte[] readFrame() throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        frame.write(first);
        frame.write(second);
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
            frame.write((int) (length >> 8));
            frame.write((int) length);
        } else if (length == 127) {
            length = in.readLong();
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift));
            }
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        frame.write(payload);
        return frame.toByteArray();
    }
}

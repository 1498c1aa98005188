package io.switchboard.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The response head: read in any pieces, bytes after it left alone, every malformation and limit refused. */
class HttpResponseParserTest {
    private static final String HEAD = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n";

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aHeadSplitAtEveryByteReadsTheSame() throws HttpException {
        byte[] all = (HEAD + "\u0081\u0002hi").getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 1; split < HEAD.length(); split++) {
            HttpResponseParser parser = new HttpResponseParser(8192, 100);
            assertNull(parser.parse(ByteBuffer.wrap(all, 0, split)));
            ByteBuffer rest = ByteBuffer.wrap(all, split, all.length - split);

            HttpResponseHead head = parser.parse(rest);

            assertEquals(101, head.status());
            assertEquals("Switching Protocols", head.reason());
            assertEquals(List.of("1", "2"), head.headers("X-TWICE"));
            assertEquals(4, rest.remaining(), "the frame after the head stays in the buffer");
        }
    }

    @Test
    void aStatusLineWithoutReasonIsRead() throws HttpException {
        assertEquals(101, new HttpResponseParser(8192, 100).parse(bytes("HTTP/1.1 101\r\n\r\n")).status());
        assertEquals("", new HttpResponseParser(8192, 100).parse(bytes("HTTP/1.1 404 \r\n\r\n")).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.0 101 Switching Protocols\r\n\r\n",
        "HTTP/2.0 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1 1011 Switching Protocols\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 10x Odd\r\n\r\n",
        "SSH-2.0-OpenSSH_9.6\r\n\r\n",
        "HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n",
        "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n folded\r\n\r\n",
        "HTTP/1.1 101 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 101 OK\r\rUpgrade: websocket\r\n\r\n",
    })
    void aMalformedHeadIsRefused(String head) {
        assertThrows(HttpException.class, () -> new HttpResponseParser(8192, 100).parse(bytes(head)));
    }

    @Test
    void theLimitsHold() {
        String many = "HTTP/1.1 101 OK\r\n" + "X: y\r\n".repeat(11) + "\r\n";
        assertThrows(HttpException.class, () -> new HttpResponseParser(8192, 10).parse(bytes(many)));
        String endless = "HTTP/1.1 101 OK\r\nX: " + "y".repeat(300);
        HttpResponseParser parser = new HttpResponseParser(256, 100);
        assertThrows(HttpException.class, () -> parser.parse(bytes(endless)));
    }
}

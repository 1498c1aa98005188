package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental, bounded parser for the head of the response to a client's upgrade request: the
 * client side's counterpart of {@link HttpRequestParser}, with the same line rules (only CRLF ends
 * a line, no obs-fold, no whitespace before a colon) and the same limits.
 *
 * <p>Feed it whatever bytes have arrived, in any number of reads. It never reads past the blank
 * line that ends the head: bytes after it are frames the server sent right behind its 101, and
 * they stay in the caller's buffer. A head that breaks a rule, or grows past the limits, is an
 * {@link HttpException} whose reason says what was wrong (its status means nothing here: the
 * client has nobody to answer). Not thread-safe: one parser reads one response.
 */
public final class HttpResponseParser {
    private static final int INITIAL_LINE_CAPACITY = 256;

    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private byte[] line = new byte[INITIAL_LINE_CAPACITY];
    private int lineLength;
    private boolean afterCr;
    private int headBytes;
    private int status = -1;
    private String reason;
    private final List<HeaderField> fields = new ArrayList<>();
    private HttpResponseHead response;

    /**
     * @param maxHeaderBytes the most bytes the head may have, CRLFs included
     * @param maxHeaderCount the most header fields it may have
     */
    public HttpResponseParser(int maxHeaderBytes, int maxHeaderCount) {
        if (maxHeaderBytes < 16 || maxHeaderCount < 0) {
            throw new IllegalArgumentException("limits too small: " + maxHeaderBytes + ", " + maxHeaderCount);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the head.
     *
     * @return the response once its head is complete, with {@code in} positioned just after the
     *         blank line; {@code null} if more bytes are needed (every byte of {@code in} was taken)
     * @throws HttpException if the head is malformed or too large
     */
    public HttpResponseHead parse(ByteBuffer in) throws HttpException {
        if (response != null) {
            throw new IllegalStateException("the response head is already complete");
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            if (++headBytes > maxHeaderBytes) {
                throw HttpException.badRequest("Response head longer than " + maxHeaderBytes + " bytes");
            }
            if (afterCr) {
                if (b != '\n') {
                    throw HttpException.badRequest("CR not followed by LF");
                }
                afterCr = false;
                if (endOfLine()) {
                    return response;
                }
            } else if (b == '\r') {
                afterCr = true;
            } else if (b == '\n') {
                throw HttpException.badRequest("Line ends with a bare LF");
            } else {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeaderBytes));
                }
                line[lineLength++] = b;
            }
        }
        return null;
    }

    private boolean endOfLine() throws HttpException {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (status < 0) {
            statusLine(text);
            return false;
        }
        if (text.isEmpty()) {
            response = new HttpResponseHead(status, reason, fields);
            line = null;
            return true;
        }
        if (fields.size() == maxHeaderCount) {
            throw HttpException.badRequest("More than " + maxHeaderCount + " header fields");
        }
        fields.add(HeaderField.parse(text));
        return false;
    }

    /**
     * {@code HTTP/1.1 SP 3DIGIT SP reason} (RFC 9112 §4). A missing reason, with or without its
     * space, is taken: the reason means nothing to a client, and some servers leave it out.
     */
    private void statusLine(String text) throws HttpException {
        boolean wellFormed = text.length() >= 12 && text.startsWith("HTTP/1.") && text.charAt(8) == ' '
                && Character.isDigit(text.charAt(7)) && text.charAt(7) != '0'
                && (text.length() == 12 || text.charAt(12) == ' ');
        for (int i = 9; wellFormed && i < 12; i++) {
            wellFormed = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        if (!wellFormed || text.charAt(9) == '0') {
            throw HttpException.badRequest("Not an HTTP/1.1 status line");
        }
        status = Integer.parseInt(text, 9, 12, 10);
        reason = text.length() > 13 ? text.substring(13) : "";
    }
}

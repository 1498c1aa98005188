package io.switchboard.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental, bounded parser for one HTTP/1.1 request head (RFC 9112 §2 to §5).
 *
 * <p>Feed it whatever bytes have arrived, in any number of reads, down to one byte at a time. It
 * keeps only the line being read (at most {@code maxHeaderBytes} bytes) and what it has parsed,
 * and it never reads past the blank line that ends the head: bytes after it are frames the client
 * sent early, and they stay in the caller's buffer for the frame parser.
 *
 * <p>Lines are checked as they complete, and every rule breaks with a defined status: 400 for
 * bad syntax and for HTTP/1.0, 414 or 431 past the limits, 505 for a major version other than 1
 * (a later HTTP/1 minor version is read as 1.1). Whether the request is a valid WebSocket upgrade
 * is {@link WebSocketUpgrade}'s business, not this parser's. Not thread-safe: one parser reads
 * one request.
 */
public final class HttpRequestParser {
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    /**
     * RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line
     * (some clients send a CRLF after a POST body). More than a few is not a confused client.
     */
    static final int MAX_LEADING_EMPTY_LINES = 4;
    private static final int INITIAL_LINE_CAPACITY = 256;

    private final int maxHeaderBytes;
    private final int maxHeaderCount;

    /** The line being read, without its CRLF; grows on demand up to maxHeaderBytes. */
    private byte[] line;
    private int lineLength;
    /** The last byte was a CR, so the next must be LF. */
    private boolean afterCr;
    /** Every byte of the head so far: leading empty lines, the request line, fields, CRLFs. */
    private int headBytes;
    private int leadingEmptyLines;

    /** Null while the request line is still being read. */
    private RequestLine requestLine;
    private final List<HeaderField> fields = new ArrayList<>();

    private HttpRequest request;
    private HttpException failure;

    /** A parser with the default limits: an 8 KiB head of at most 100 fields. */
    public HttpRequestParser() {
        this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_COUNT);
    }

    /**
     * @param maxHeaderBytes the most bytes the head may have, CRLFs included; more gets 431, or
     *                       414 while the request line is still being read
     * @param maxHeaderCount the most header fields the head may have; more gets 431
     */
    public HttpRequestParser(int maxHeaderBytes, int maxHeaderCount) {
        if (maxHeaderBytes < 1 || maxHeaderCount < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxHeaderBytes + ", " + maxHeaderCount);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxHeaderBytes)];
    }

    /**
     * Consumes bytes of {@code in} up to the end of the head (the blank line).
     *
     * @return the request once its head is complete, with {@code in} positioned just after the
     *         final CRLF (what follows is left untouched); {@code null} if more bytes are needed,
     *         in which case every byte of {@code in} was consumed
     * @throws HttpException the status to answer with; once thrown, every later call throws it
     *                       again, as the connection is done for
     * @throws IllegalStateException if called again after the request was returned
     */
    public HttpRequest parse(ByteBuffer in) throws HttpException {
        if (failure != null) {
            throw failure;
        }
        if (request != null) {
            throw new IllegalStateException("the request head is already complete");
        }
        try {
            while (in.hasRemaining()) {
                if (take(in.get())) {
                    return request;
                }
            }
            return null;
        } catch (HttpException e) {
            failure = e;
            throw e;
        }
    }

    /** Takes one byte; true once it completed the head. */
    private boolean take(byte b) throws HttpException {
        if (++headBytes > maxHeaderBytes) {
            throw HttpException.of(requestLine == null ? 414 : 431);
        }
        // Only CRLF ends a line. Accepting a bare LF or a lone CR, as some parsers do, is how a
        // request gets read differently by a proxy and by us (RFC 9112 §2.2 allows rejecting).
        if (afterCr) {
            if (b != '\n') {
                throw HttpException.badRequest("CR not followed by LF");
            }
            afterCr = false;
            return endOfLine();
        }
        if (b == '\r') {
            afterCr = true;
        } else if (b == '\n') {
            throw HttpException.badRequest("Line ends with a bare LF");
        } else {
            append(b);
        }
        return false;
    }

    private void append(byte b) {
        // headBytes bounds lineLength, so the buffer never has to outgrow maxHeaderBytes.
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeaderBytes));
        }
        line[lineLength++] = b;
    }

    /** Handles the line just ended by CRLF; true if it was the blank line that ends the head. */
    private boolean endOfLine() throws HttpException {
        // ISO-8859-1 maps each byte to one char, so obs-text survives and nothing can fail here.
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        if (requestLine == null) {
            if (text.isEmpty()) {
                if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                    throw HttpException.badRequest("Too many empty lines before the request line");
                }
            } else {
                requestLine = RequestLine.parse(text);
            }
            return false;
        }
        if (text.isEmpty()) {
            request = new HttpRequest(requestLine, fields);
            line = null; // the parser may outlive the handshake; its buffer need not
            return true;
        }
        if (fields.size() == maxHeaderCount) {
            throw HttpException.of(431);
        }
        fields.add(HeaderField.parse(text));
        return false;
    }
}

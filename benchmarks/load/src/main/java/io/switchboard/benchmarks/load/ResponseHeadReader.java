package io.switchboard.benchmarks.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a response head across reads, up to and including the empty line (CRLFCRLF). It takes
 * only the head's bytes from the input: whatever follows in the same read belongs to the frame parser.
 */
final class ResponseHeadReader {
    static final int MAX_HEAD = 16 * 1024;

    private byte[] head = new byte[256];
    private int length;

    /**
     * Takes bytes from {@code in} until the head is complete.
     *
     * @return true once the head is complete; {@code in} is then positioned just after it
     */
    boolean read(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            if (length == head.length) {
                if (length == MAX_HEAD) {
                    throw new ProtocolException("response head longer than " + MAX_HEAD + " bytes");
                }
                head = Arrays.copyOf(head, Math.min(MAX_HEAD, length * 2));
            }
            byte b = in.get();
            head[length++] = b;
            if (b == '\n' && length >= 4 && head[length - 2] == '\r' && head[length - 3] == '\n'
                    && head[length - 4] == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The complete head, without the final empty line. */
    ResponseHead parse() throws ProtocolException {
        return ResponseHead.parse(head, length - 4);
    }
}

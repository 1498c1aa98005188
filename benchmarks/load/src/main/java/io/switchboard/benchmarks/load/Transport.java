package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;

/** How a connection's bytes reach the socket: as they are, or through TLS. Used by the selector thread only. */
interface Transport {
    /**
     * Advances the transport's own handshake (TLS) without blocking.
     *
     * @return true once the transport is ready for application bytes
     */
    boolean handshake(ByteBuffer scratch) throws IOException;

    /** Whether the transport has output of its own that waits for the socket to take it. */
    boolean wantsWrite();

    /**
     * Reads the bytes available now into {@code dst}, which must have room for the plaintext of a
     * whole TLS record (the event loop's 256 KiB buffer has).
     *
     * @return the number of application bytes added, or -1 at the end of the stream
     */
    int read(ByteBuffer dst) throws IOException;

    /** Whether another {@link #read} may return bytes without waiting for the selector. */
    boolean readAgain();

    /**
     * Writes as much of {@code src} (which may be empty) and of the transport's own pending output
     * as the socket takes now.
     *
     * @return true when everything, the transport's pending output included, has been written
     */
    boolean write(ByteBuffer src) throws IOException;
}

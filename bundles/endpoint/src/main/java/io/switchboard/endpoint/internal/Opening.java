package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection's opening handshake, while it lasts: the server's ({@link HandshakePhase}: the
 * request in, the 101 out) or the client's ({@link ClientOpening}: the connect, the request out,
 * the 101 in). Its end opens the connection or closes it. Loop thread only.
 */
interface Opening {

    /** Bytes of the handshake arrived. */
    void read(ByteBuffer in);

    /** The handshake's deadline passed before it ended. */
    void expire();

    /** An outbound socket finished connecting, or failed to. */
    default void connected() {
    }

    /** The socket ended before the handshake did: because of {@code cause}, or closed if null. */
    default void ended(IOException cause) {
    }
}

package io.switchboard.endpoint.interop;

import java.net.URI;

/** A WebSocket client library, as far as the interop scenarios need one. */
interface ClientDriver {

    /**
     * Opens a connection, offering these subprotocols in this order.
     *
     * @throws io.switchboard.testing.HandshakeRefusedException if the server answered with an HTTP status other than 101
     */
    ClientSession connect(URI uri, String... subprotocols) throws Exception;
}

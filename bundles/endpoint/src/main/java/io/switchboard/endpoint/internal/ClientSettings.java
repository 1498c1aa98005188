package io.switchboard.endpoint.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import io.switchboard.codec.PerMessageDeflate;

/**
 * Everything a client is configured with, checked and immutable; the builder of
 * {@code io.switchboard.endpoint.WebSocketClient} is its public face.
 *
 * @param connection     what its connections share with a server's: limits, timeouts, the send queue
 *                       (its {@code handshakeTimeout} runs from the connect to the end of the 101)
 * @param connectTimeout how long the TCP connect may take
 * @param tls            keys and trust for wss; null for the JDK's default context
 * @param deflateOffer   the permessage-deflate parameters to offer; null to offer none
 * @param blocking       whether handlers' callbacks may block, so that they run on the worker pool
 * @param proxy          the HTTP proxy to tunnel through with {@code CONNECT}; null to connect directly
 * @param proxyAuthorization the {@code Proxy-Authorization} value to send with {@code CONNECT}; null for none
 */
public record ClientSettings(Settings connection, Duration connectTimeout, SSLContext tls,
                             PerMessageDeflate deflateOffer, boolean blocking, InetSocketAddress proxy,
                             String proxyAuthorization) {
    public ClientSettings {
        Objects.requireNonNull(connection, "connection");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
    }
}

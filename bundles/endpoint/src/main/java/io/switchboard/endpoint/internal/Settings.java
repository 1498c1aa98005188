package io.switchboard.endpoint.internal;

import java.time.Duration;
import java.util.Set;

import io.switchboard.codec.DecoderLimits;

/**
 * Everything an endpoint is configured with, checked and immutable. The builder in
 * {@code io.switchboard.endpoint} is the public face of this record.
 *
 * @param host              the address to listen on ({@code null} or empty for every interface)
 * @param port              the port; 0 picks a free one
 * @param loops             the number of selector loops that share the connections
 * @param limits            frame, message and fragment limits for what clients send
 * @param maxHeaderBytes    the most bytes an opening request's head may have (431 above)
 * @param maxHeaderCount    the most header fields it may have (431 above)
 * @param handshakeTimeout  from accept to the end of the request head; not reset by each byte
 * @param closeTimeout      how long to wait for the peer's side of the closing handshake
 * @param idleTimeout       close a connection that received nothing for this long; zero for never
 * @param pingInterval      send a ping after this long without receiving anything; zero for never
 * @param sendLowWater      below this many queued bytes a connection is writable again
 * @param sendHighWater     above this many queued bytes a connection is not writable
 * @param sendQueueCap      above this many queued bytes the connection is closed with 1008
 * @param perMessageDeflate whether to accept permessage-deflate offers
 * @param deflateContextTakeover whether compression contexts may last from message to message
 *                          where the client allows it; if not, the server answers every offer with
 *                          {@code server_no_context_takeover} and {@code client_no_context_takeover}
 * @param swapGracePeriod   how long a connection whose handler went away waits for another,
 *                          reads paused, before it is closed with 1001
 * @param detachTimeout     how long the removal of a handler waits for the callbacks running on
 *                          it to return; a connection whose callback is still running is closed with 1011
 * @param allowedOrigins    browser origins admitted besides same-origin ones ({@code *}: all)
 * @param maxConnections    connections the endpoint holds at most (503 to handshakes beyond)
 * @param maxConnectionsPerAddress connections one remote address holds at most (503 beyond)
 * @param tls               TLS for a wss endpoint, or null for ws
 */
public record Settings(String host, int port, int loops, DecoderLimits limits,
                       int maxHeaderBytes, int maxHeaderCount,
                       Duration handshakeTimeout, Duration closeTimeout, Duration idleTimeout, Duration pingInterval,
                       long sendLowWater, long sendHighWater, long sendQueueCap,
                       boolean perMessageDeflate, boolean deflateContextTakeover, Duration swapGracePeriod, Duration detachTimeout,
                       Set<String> allowedOrigins, int maxConnections, int maxConnectionsPerAddress,
                       TlsSettings tls) {

    public Settings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be at least 1, was " + loops);
        }
        if (maxHeaderBytes < 256 || maxHeaderCount < 8) {
            throw new IllegalArgumentException("the header limits must allow at least 256 bytes and 8 fields");
        }
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("closeTimeout", closeTimeout);
        requireNotNegative("idleTimeout", idleTimeout);
        requireNotNegative("pingInterval", pingInterval);
        requirePositive("swapGracePeriod", swapGracePeriod);
        requirePositive("detachTimeout", detachTimeout);
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        if (!(0 <= sendLowWater && sendLowWater <= sendHighWater && sendHighWater <= sendQueueCap)) {
            throw new IllegalArgumentException("send queue marks must satisfy 0 <= low <= high <= cap");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}

package io.switchboard.benchmarks.servers;

import java.nio.ByteBuffer;

import io.switchboard.api.Connection;

/**
 * How Switchboard's fan-out server gets one published message to every subscriber. The loop over
 * {@link Connection#send} is one way ({@link LoopFanOut}); the endpoint's broadcast API, which
 * frames a message once for all, is the other ({@link GroupFanOut}), so that S6 shows what it
 * buys over the loop.
 *
 * <p>Threading: any thread may call any method, concurrently; a connection may end at any time.
 */
interface FanOut {
    /** From now on {@code subscriber} receives every published message. */
    void join(Connection subscriber);

    /** {@code subscriber} has ended; it receives nothing more. */
    void leave(Connection subscriber);

    /** Sends {@code message}'s remaining bytes as one binary message to every subscriber; its position is left as it was. */
    void publish(ByteBuffer message);
}

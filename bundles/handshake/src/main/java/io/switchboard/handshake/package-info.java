/**
 * The RFC 6455 opening handshake, both sides of it, with no I/O and no threads: request bytes
 * in, response bytes out.
 *
 * <p>The steps, in the order a connection takes them:
 * <ol>
 *   <li>{@link io.switchboard.handshake.HttpRequestParser}: a resumable, bounded parser for one
 *       HTTP/1.1 request head, which leaves any bytes after the head (early frames) in the
 *       caller's buffer;</li>
 *   <li>{@link io.switchboard.handshake.WebSocketUpgrade}: the checks of RFC 6455 §4.2.1, the
 *       offered subprotocols and extensions, permessage-deflate negotiation and
 *       {@code Sec-WebSocket-Accept};</li>
 *   <li>{@link io.switchboard.handshake.HttpResponses}: the 101 answer, error answers and plain
 *       responses, with every header checked so that a response cannot be split.</li>
 * </ol>
 * The client side has {@link io.switchboard.handshake.ClientUpgrade} (the request head and the
 * checks of the answer, refused as a {@link io.switchboard.handshake.WebSocketHandshakeException})
 * and {@link io.switchboard.handshake.HttpResponseParser}, the response's counterpart of the
 * request parser.
 * Every rejection of a request is an {@link io.switchboard.handshake.HttpException} carrying the status to
 * answer with. {@link io.switchboard.handshake.HttpRequestParser} is not thread-safe (one per
 * connection); everything else here is immutable or stateless.
 */
@Export
@Version("0.2.0")
package io.switchboard.handshake;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

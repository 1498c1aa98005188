/**
 * The WebSocket wire format (RFC 6455) and permessage-deflate (RFC 7692), with no I/O and no
 * threads: bytes in, frames and messages out, and back.
 *
 * <p>The layers, bottom up:
 * <ul>
 *   <li>{@link io.switchboard.codec.Masking} and {@link io.switchboard.codec.Utf8Validator}:
 *       the two per-byte loops, word at a time where they can be;</li>
 *   <li>{@link io.switchboard.codec.FrameParser}: resumable frame parsing with every
 *       frame-level rule of RFC 6455 checked as soon as the bytes that break it arrive;</li>
 *   <li>{@link io.switchboard.codec.MessageDecoder}: message assembly, UTF-8 validation,
 *       inflation and the size limits of {@link io.switchboard.codec.DecoderLimits};</li>
 *   <li>{@link io.switchboard.codec.FrameWriter} and
 *       {@link io.switchboard.codec.MessageDeflater}: the way out;</li>
 *   <li>{@link io.switchboard.codec.PerMessageDeflate}: negotiation of RFC 7692 parameters.</li>
 * </ul>
 * Every violation is reported as a {@link io.switchboard.codec.ProtocolViolation} carrying the
 * close code to answer with. No class here is thread-safe: one instance serves one connection.
 */
@Export
@Version("0.4.0")
package io.switchboard.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

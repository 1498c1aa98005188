/**
 * WebSocket clients for tests of Switchboard and of the handlers written for it.
 *
 * <p>{@link io.switchboard.testing.JdkWebSocketClient} is a real client (the JDK's) for tests of
 * behaviour: messages, subprotocols, closing, TLS; {@link io.switchboard.testing.NumberedMessages}
 * makes numbered round trips over it, and {@link io.switchboard.testing.NumberClient} keeps many
 * numbered messages in flight under load. {@link io.switchboard.testing.RawWebSocketClient}
 * speaks the protocol byte by byte for tests of the rules: malformed requests, invalid frames,
 * split writes, what exactly the server writes back and when it ends the stream.
 * {@link io.switchboard.testing.UpgradeRequest} and {@link io.switchboard.testing.Frames} are the
 * bytes it writes, for tools that drive many connections on their own channels.
 * {@link io.switchboard.testing.RouteProbe} waits until an endpoint serves a route, asking over
 * the network, and {@link io.switchboard.testing.TestEndpoint} is the endpoint that the Pax Exam
 * options of {@code io.switchboard.testing.osgi} configure, for tests inside the framework.
 *
 * <p>Every wait is bounded and fails the test with what it waited for. A test that checks that
 * nothing happened makes a round trip first (send a message, wait for its answer) instead of
 * sleeping: whatever the server did before answering then arrives ahead of the answer.
 *
 * <p>The clients depend on the JDK alone, so that tests can install the package as a bundle
 * beside the bundles under test without wiring to them, or use it on a plain class path.
 * {@code TestEndpoint} alone needs the framework: it finds the endpoint and its handlers through
 * the framework's services, by name, still without wiring to a Switchboard bundle.
 */
@Export
@Version("0.4.0")
package io.switchboard.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

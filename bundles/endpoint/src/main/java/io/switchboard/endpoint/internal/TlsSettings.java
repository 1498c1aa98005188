package io.switchboard.endpoint.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How a wss endpoint speaks TLS.
 *
 * @param context          keys and trust
 * @param protocols        enabled protocols, such as {@code TLSv1.3}; empty for the JDK's defaults
 * @param cipherSuites     enabled cipher suites; empty for the JDK's defaults
 * @param needClientAuth   whether clients must present a certificate the context trusts
 * @param tasks            where the engines' delegated tasks run (the handshake's key exchange
 *                         and signature); null for the endpoint's own pool
 */
public record TlsSettings(SSLContext context, List<String> protocols, List<String> cipherSuites,
                          boolean needClientAuth, Executor tasks) {

    public TlsSettings {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** How an accepted socket of {@code loop}'s endpoint speaks: plain, or TLS with a server engine of its own. */
    static Transport serverTransport(SelectorLoop loop, SocketChannel channel) throws IOException {
        TlsSettings tls = loop.endpoint.settings().tls();
        return tls == null ? Transport.PLAIN
                : new TlsChannel(channel, tls.newEngine((InetSocketAddress) channel.getRemoteAddress()), loop.tlsBuffers(),
                        loop.endpoint.tlsTasks(), loop);
    }

    /** A server-side engine for one connection. */
    SSLEngine newEngine(InetSocketAddress peer) {
        SSLEngine engine = context.createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(false);
        if (protocols.isEmpty() && cipherSuites.isEmpty() && !needClientAuth) {
            return engine; // the context's defaults, shared: parameters set would be copied into every engine
        }
        SSLParameters parameters = engine.getSSLParameters();
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        parameters.setNeedClientAuth(needClientAuth);
        engine.setSSLParameters(parameters);
        return engine;
    }
}

package io.switchboard.endpoint.internal;

import java.net.InetSocketAddress;
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

package io.switchboard.benchmarks.load;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client-side TLS that trusts any certificate. The servers under test use a throwaway self-signed
 * certificate; a benchmark client measures encryption, not authentication.
 */
final class TrustAllTls {
    private final SSLContext context;
    private final String[] protocols;

    TrustAllTls(String protocol) throws GeneralSecurityException {
        this.context = SSLContext.getInstance("TLS");
        this.context.init(null, new TrustManager[] {new TrustAll()}, null);
        this.protocols = new String[] {protocol};
    }

    /** The context itself, for a client that makes its own engines (it then verifies no host name either). */
    SSLContext context() {
        return context;
    }

    SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(protocols);
        return engine;
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

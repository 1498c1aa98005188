package io.switchboard.benchmarks.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server key of {@code --tls}: a PKCS12 keystore, as {@link MakeKeyStore} writes it. */
final class TlsKeyStore {

    private TlsKeyStore() {
    }

    static KeyManagerFactory keyManagers(Options options) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = options.tlsPassword().toCharArray();
        try (InputStream in = Files.newInputStream(options.tlsKeyStore())) {
            store.load(in, password);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory;
    }

    /** A server context with the JDK's default protocols and cipher suites. */
    static SSLContext sslContext(Options options) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(options).getKeyManagers(), null, null);
        return context;
    }
}

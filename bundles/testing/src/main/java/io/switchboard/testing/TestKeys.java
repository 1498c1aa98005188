package io.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed key pair for 127.0.0.1 and localhost, made once per test JVM with the JDK's
 * keytool: TLS contexts for a server, for a client that trusts it, and for both sides of a
 * connection with client certificates (the one key pair plays both parts, each side trusting it).
 */
public final class TestKeys {
    private static final char[] PASSWORD = "switchboard".toCharArray();
    private static SSLContext server;
    private static SSLContext client;
    private static SSLContext mutual;

    private TestKeys() {
    }

    public static synchronized SSLContext server() {
        make();
        return server;
    }

    public static synchronized SSLContext client() {
        make();
        return client;
    }

    /** Presents the key and trusts it: for a server that needs client certificates, and for its clients. */
    public static synchronized SSLContext mutual() {
        make();
        return mutual;
    }

    /**
     * A server context whose certificate names {@code dnsName} only, and a client context that
     * trusts it: {@code {server, client}}. Made anew each call.
     */
    public static SSLContext[] forHost(String dnsName) {
        SSLContext[] made = generate(dnsName, "dns:" + dnsName);
        return new SSLContext[] {made[0], made[1]};
    }

    private static void make() {
        if (server != null) {
            return;
        }
        SSLContext[] made = generate("localhost", "ip:127.0.0.1,dns:localhost");
        server = made[0];
        client = made[1];
        mutual = made[2];
    }

    /** {@code {server, client, mutual}} contexts for a self-signed key pair whose certificate names {@code san}. */
    private static SSLContext[] generate(String commonName, String san) {
        try {
            Path keyStore = Files.createTempDirectory("switchboard-keys").resolve("server.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "switchboard", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + commonName, "-ext", "SAN=" + san, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, PASSWORD);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(keys.getKeyManagers(), null, null);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, trust.getTrustManagers(), null);
            SSLContext mutual = SSLContext.getInstance("TLS");
            mutual.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new SSLContext[] {server, client, mutual};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

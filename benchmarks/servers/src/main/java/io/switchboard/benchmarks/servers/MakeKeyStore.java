package io.switchboard.benchmarks.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Creates the self-signed keystore for {@code --tls}: {@code MakeKeyStore <path> <password>}
 * writes a PKCS12 file holding an RSA 2048 key for CN=localhost, valid for 127.0.0.1 and
 * localhost. It runs the JDK's keytool rather than building a certificate in code, which the
 * JDK has no public API for. An existing file at the path is replaced.
 */
public final class MakeKeyStore {

    private MakeKeyStore() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: MakeKeyStore <path> <password>");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        String password = args[1];
        // keytool adds to an existing store and refuses a duplicate alias: start afresh.
        Files.deleteIfExists(path);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
                "-alias", "localhost",
                "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650",
                "-dname", "CN=localhost",
                "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype", "PKCS12",
                "-keystore", path.toString(),
                "-storepass", password,
                "-keypass", password))
                .inheritIO()
                .start();
        System.exit(process.waitFor());
    }
}

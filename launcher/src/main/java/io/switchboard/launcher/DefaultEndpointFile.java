package io.switchboard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default endpoint's configuration file in etc/: written on the first start from a commented
 * template that lists every property of an endpoint with its default, and the user's from then on
 * (the launcher never writes it again). Called by the launcher's main thread before the framework
 * starts.
 */
final class DefaultEndpointFile {
    /** FileInstall reads {@code PID-NAME.cfg} as the factory configuration {@code PID~NAME}. */
    static final String FILE_NAME = "io.switchboard.endpoint-default.cfg";
    static final String PID = "io.switchboard.endpoint~default";
    static final String ENDPOINT_NAME = "default";

    private DefaultEndpointFile() {
    }

    /** Writes the template to {@code etc} unless the file is there; returns whether it wrote it. */
    static boolean createIfMissing(Path etc) throws IOException {
        Path file = etc.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return false;
        }
        try (InputStream template = template()) {
            Files.copy(template, file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // written in between, by whoever: it is theirs
        }
    }

    static InputStream template() throws IOException {
        InputStream template = DefaultEndpointFile.class.getResourceAsStream(FILE_NAME);
        if (template == null) {
            throw new IOException("The launcher jar has no " + FILE_NAME + "; build it again");
        }
        return template;
    }
}

package io.switchboard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files the launcher writes to etc/ on the first start, each from a commented template in its
 * jar that lists every property with its default, and the user's from then on (the launcher never
 * writes one again): the default endpoint's configuration, the client service's, and an example of the Redis relay's,
 * which FileInstall leaves alone until it is renamed to {@code .cfg}. Called by the launcher's
 * main thread before the framework starts.
 */
final class EtcTemplates {
    /** FileInstall reads {@code PID-NAME.cfg} as the factory configuration {@code PID~NAME}. */
    static final String ENDPOINT_FILE = "io.switchboard.endpoint-default.cfg";
    static final String PID = "io.switchboard.endpoint~default";
    static final String ENDPOINT_NAME = "default";
    /** The SwitchboardClient service's settings, all commented out: its defaults apply until one is set. */
    static final String CLIENT_FILE = "io.switchboard.client.cfg";
    /** Renamed to {@code io.switchboard.cluster.redis.cfg}, it turns the relay between nodes on. */
    static final String RELAY_EXAMPLE = "io.switchboard.cluster.redis.cfg.example";

    private EtcTemplates() {
    }

    /** Writes each template to {@code etc} unless its file is there. */
    static void createMissing(Path etc) throws IOException {
        for (String name : List.of(ENDPOINT_FILE, CLIENT_FILE, RELAY_EXAMPLE)) {
            try (InputStream template = template(name)) {
                if (!Files.exists(etc.resolve(name))) {
                    Files.copy(template, etc.resolve(name));
                }
            } catch (FileAlreadyExistsException e) {
                // written in between, by whoever: it is theirs
            }
        }
    }

    static InputStream template(String name) throws IOException {
        InputStream template = EtcTemplates.class.getResourceAsStream(name);
        if (template == null) {
            throw new IOException("The launcher jar has no " + name + "; build it again");
        }
        return template;
    }
}

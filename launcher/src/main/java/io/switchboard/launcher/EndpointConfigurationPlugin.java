package io.switchboard.launcher;

import java.util.Dictionary;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the endpoint component sees of each endpoint configuration, as a ConfigAdmin
 * ConfigurationPlugin (registered through {@link ForeignServices}): the stored configuration and
 * its file stay as the user wrote them.
 *
 * <ul>
 * <li>{@code --host} and {@code --port} win over the default endpoint's file;
 * <li>a list property written in a {@code .cfg} file, which FileInstall hands over as one string,
 * is split at its commas ({@code allowedOrigins = https://a.example, https://b.example}).
 * </ul>
 *
 * <p>ConfigAdmin calls {@link #modify} from its own threads; the fields are final.
 */
final class EndpointConfigurationPlugin {
    private static final List<String> LISTS = List.of("allowedOrigins", "tlsProtocols", "tlsCipherSuites");

    private final String host;
    private final Integer port;

    /** {@code host} and {@code port} from the command line, each null where the file decides. */
    EndpointConfigurationPlugin(String host, Integer port) {
        this.host = host;
        this.port = port;
    }

    void modify(Dictionary<String, Object> properties) {
        if (EtcTemplates.PID.equals(properties.get("service.pid"))) {
            if (host != null) {
                properties.put("host", host);
            }
            if (port != null) {
                properties.put("port", port);
            }
        }
        for (String list : LISTS) {
            if (properties.get(list) instanceof String value) {
                properties.put(list, Stream.of(value.split(",")).map(String::trim)
                        .filter(item -> !item.isEmpty()).toArray(String[]::new));
            }
        }
    }
}

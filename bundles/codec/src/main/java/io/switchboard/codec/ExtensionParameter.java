package io.switchboard.codec;

/**
 * One parameter of an extension offer in {@code Sec-WebSocket-Extensions}, such as
 * {@code client_max_window_bits=10}.
 *
 * @param name  the parameter name, as sent
 * @param value the value with any quotes removed, or {@code null} when the parameter has none
 */
public record ExtensionParameter(String name, String value) {
    public ExtensionParameter {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an extension parameter needs a name");
        }
    }
}

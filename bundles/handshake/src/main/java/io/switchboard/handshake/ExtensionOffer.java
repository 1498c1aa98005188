package io.switchboard.handshake;

import java.util.List;
import java.util.Objects;

import io.switchboard.codec.ExtensionParameter;

/**
 * One extension offered in {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1), such as
 * {@code permessage-deflate; client_max_window_bits}.
 *
 * @param name       the extension token
 * @param parameters its parameters in the order sent, quoted values already unquoted
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {
    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /**
     * The offer as the header would spell it, e.g. {@code permessage-deflate; client_max_window_bits}.
     * Values need no quotes: they are tokens.
     */
    @Override
    public String toString() {
        StringBuilder offer = new StringBuilder(name);
        for (ExtensionParameter parameter : parameters) {
            offer.append("; ").append(parameter.name());
            if (parameter.value() != null) {
                offer.append('=').append(parameter.value());
            }
        }
        return offer.toString();
    }
}

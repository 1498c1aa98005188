package io.switchboard.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The head of one HTTP/1.1 response, as {@link HttpResponseParser} read it. Immutable. */
public final class HttpResponseHead {
    private final int status;
    private final String reason;
    private final List<HeaderField> fields;

    HttpResponseHead(int status, String reason, List<HeaderField> fields) {
        this.status = status;
        this.reason = reason;
        this.fields = List.copyOf(fields);
    }

    public int status() {
        return status;
    }

    /** The reason phrase, possibly empty. */
    public String reason() {
        return reason;
    }

    /** Every value of the header named {@code name} (case-insensitive), in the order sent. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(1);
        for (HeaderField field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** The first value of the header named {@code name}. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return "HTTP/1.1 " + status + " " + reason;
    }
}

package io.switchboard.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed HTTP/1.1 request head. Immutable.
 *
 * <p>Header values are kept as sent, less the whitespace around them, decoded as ISO-8859-1 so
 * that every byte maps to one character. Header names are matched case-insensitively.
 */
public final class HttpRequest {
    private final String method;
    private final String target;
    private final List<HeaderField> fields;
    /** Lower-case name to values, names in order of first appearance. */
    private final Map<String, List<String>> valuesByName;

    HttpRequest(RequestLine requestLine, List<HeaderField> fields) {
        this.method = requestLine.method();
        this.target = requestLine.target();
        this.fields = List.copyOf(fields);
        this.valuesByName = index(this.fields);
    }

    private static Map<String, List<String>> index(List<HeaderField> fields) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (HeaderField field : fields) {
            grouped.computeIfAbsent(lowerCase(field.name()), name -> new ArrayList<>()).add(field.value());
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        grouped.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(frozen);
    }

    /** The method, case as sent: methods are case-sensitive (RFC 9110 §9.1). */
    public String method() {
        return method;
    }

    /**
     * The request target as sent, e.g. {@code /chat?room=1}, not decoded. A target sent in
     * absolute-form ({@code http://host/chat?room=1}) is given here without its scheme and
     * authority, so that every request routes the same way.
     */
    public String target() {
        return target;
    }

    /** The target up to {@code '?'}, not decoded; always starts with {@code '/'}. */
    public String path() {
        int question = target.indexOf('?');
        return question < 0 ? target : target.substring(0, question);
    }

    /** The raw query after {@code '?'}, not decoded; empty if there is none. */
    public String query() {
        int question = target.indexOf('?');
        return question < 0 ? "" : target.substring(question + 1);
    }

    /** All values of the field in the order sent, matched case-insensitively; empty if none. */
    public List<String> headers(String name) {
        return valuesByName.getOrDefault(lowerCase(name), List.of());
    }

    /** The first value of the field, matched case-insensitively. */
    public Optional<String> header(String name) {
        return headers(name).stream().findFirst();
    }

    /** The names of the fields sent, in lower case, in order of first appearance. */
    public Set<String> headerNames() {
        return valuesByName.keySet();
    }

    /** Every field as {@code {name as sent, value}}, in the order sent; fresh arrays each call. */
    public List<String[]> allHeaders() {
        List<String[]> all = new ArrayList<>(fields.size());
        for (HeaderField field : fields) {
            all.add(new String[] {field.name(), field.value()});
        }
        return all;
    }

    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Equal if the method, target and every field (name as sent, value, order) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof HttpRequest that
                && method.equals(that.method)
                && target.equals(that.target)
                && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return (method.hashCode() * 31 + target.hashCode()) * 31 + fields.hashCode();
    }

    /** The request line and the header names; values are left out, as they may hold secrets. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>(fields.size());
        for (HeaderField field : fields) {
            names.add(field.name());
        }
        return method + " " + target + " " + names;
    }
}

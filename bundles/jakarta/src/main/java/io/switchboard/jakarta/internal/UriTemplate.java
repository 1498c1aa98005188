package io.switchboard.jakarta.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.websocket.DeploymentException;

/**
 * A {@code @ServerEndpoint} path: segments that are literals or whole-segment variables such as
 * {@code /rooms/{room}} (Jakarta WebSocket 2.2 §3.1.1, level-1 templates). Immutable.
 *
 * <p>The specification's order, which {@link #compareTo} gives: an exact path first (a template
 * without variables), then templates compared segment by segment from the left, a literal segment
 * before a variable one, so that the longer literal prefix wins.
 */
public final class UriTemplate implements Comparable<UriTemplate> {
    private final String path;
    private final List<String> segments;     // literal text, or the variable's name
    private final boolean[] variable;

    private UriTemplate(String path, List<String> segments, boolean[] variable) {
        this.path = path;
        this.segments = segments;
        this.variable = variable;
    }

    /** Parses a template; the deployment fails if it is not a valid one. */
    public static UriTemplate parse(String path) throws DeploymentException {
        if (path == null || !path.startsWith("/")) {
            throw new DeploymentException("the path " + path + " does not start with '/'");
        }
        List<String> segments = split(path);
        boolean[] variable = new boolean[segments.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                String name = segment.substring(1, segment.length() - 1);
                if (name.contains("{") || name.contains("}") || names.contains(name)) {
                    throw new DeploymentException("the path " + path + " has an invalid or repeated variable {" + name + "}");
                }
                names.add(name);
                segments.set(i, name);
                variable[i] = true;
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new DeploymentException("the path " + path + " has a variable that is not a whole segment: " + segment);
            }
        }
        return new UriTemplate(path, Collections.unmodifiableList(segments), variable);
    }

    public String path() {
        return path;
    }

    /** The names of the variables, in order. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            if (variable[i]) {
                names.add(segments.get(i));
            }
        }
        return names;
    }

    /** Whether the template has no variables, so that it matches one path only. */
    public boolean exact() {
        for (boolean v : variable) {
            if (v) {
                return false;
            }
        }
        return true;
    }

    /** Matches a decoded path; returns the variables' values, or null if it does not match. */
    public Map<String, String> match(String decodedPath) {
        return match(split(decodedPath), false);
    }

    /**
     * Matches a raw (percent-encoded) path, decoding each segment after splitting, so that an
     * encoded {@code /} stays inside its segment's value.
     */
    public Map<String, String> matchRaw(String rawPath) {
        return rawPath == null ? null : match(split(rawPath), true);
    }

    private Map<String, String> match(List<String> given, boolean decode) {
        if (given.size() != segments.size()) {
            return null;
        }
        Map<String, String> values = Map.of();
        for (int i = 0; i < given.size(); i++) {
            String segment = decode ? decode(given.get(i)) : given.get(i);
            if (segment == null) {
                return null;
            }
            if (!variable[i]) {
                if (!segment.equals(segments.get(i))) {
                    return null;
                }
            } else if (segment.isEmpty()) {
                return null;
            } else {
                if (values.isEmpty()) {
                    values = new LinkedHashMap<>();
                }
                values.put(segments.get(i), segment);
            }
        }
        return values.isEmpty() ? values : Collections.unmodifiableMap(values);
    }

    /** Whether both match the same paths, which makes deploying both an error. */
    public boolean sameShape(UriTemplate other) {
        if (segments.size() != other.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (variable[i] != other.variable[i] || (!variable[i] && !segments.get(i).equals(other.segments.get(i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(UriTemplate other) {
        int common = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < common; i++) {
            if (variable[i] != other.variable[i]) {
                return variable[i] ? 1 : -1;
            }
            if (!variable[i]) {
                int byText = segments.get(i).compareTo(other.segments.get(i));
                if (byText != 0) {
                    return byText;
                }
            }
        }
        return Integer.compare(segments.size(), other.segments.size());
    }

    @Override
    public String toString() {
        return path;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int start = 1;
        for (int slash; (slash = path.indexOf('/', start)) >= 0; start = slash + 1) {
            parts.add(path.substring(start, slash));
        }
        parts.add(path.substring(start));
        return parts;
    }

    private static String decode(String segment) {
        try {
            return segment.indexOf('%') < 0 ? segment : URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}

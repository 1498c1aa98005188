package io.switchboard.endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route path whose segments are literals or whole-segment variables, such as
 * {@code /rooms/{room}} (the level-1 templates of Jakarta WebSocket 2.2 §3.1.1); a path without
 * variables matches itself only. Immutable and thread-safe.
 *
 * <p>{@link #compareTo} is the order in which templates are tried, the specification's: templates
 * compared segment by segment from the left, a literal segment before a variable one, so that the
 * longer literal prefix wins. (An exact path, a template without variables, wins over every
 * template; routers look it up first.)
 */
public final class PathTemplate implements Comparable<PathTemplate> {
    private final String path;
    /** Per segment, its literal text, or null for a variable. */
    private final String[] literals;
    /** Per segment, the variable's name, or null for a literal. */
    private final String[] names;

    private PathTemplate(String path, String[] literals, String[] names) {
        this.path = path;
        this.literals = literals;
        this.names = names;
    }

    /**
     * @throws IllegalArgumentException naming the path and what is wrong: it does not start with
     *     {@code /}, a brace is not a whole segment's, or a variable is empty or repeated
     */
    public static PathTemplate parse(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("the path " + path + " does not start with '/'");
        }
        String[] literals = split(path);
        String[] names = new String[literals.length];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < literals.length; i++) {
            String segment = literals[i];
            String name = segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
                    ? segment.substring(1, segment.length() - 1) : null;
            if (name != null && !name.contains("{") && !name.contains("}") && !seen.contains(name)) {
                seen.add(name);
                names[i] = name;
                literals[i] = null;
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException("the path " + path
                        + " has a variable that is not a whole segment, or is empty or repeated: " + segment);
            }
        }
        return new PathTemplate(path, literals, names);
    }

    /** The template as written. */
    public String path() {
        return path;
    }

    /** The names of the variables, in order. */
    public List<String> variables() {
        List<String> variables = new ArrayList<>();
        for (String name : names) {
            if (name != null) {
                variables.add(name);
            }
        }
        return variables;
    }

    /** Whether the template has no variables, so that it matches one path only. */
    public boolean exact() {
        return variables().isEmpty();
    }

    /** Matches a decoded path; returns the variables' values (unmodifiable), or null if it does not match. */
    public Map<String, String> match(String decodedPath) {
        return decodedPath == null ? null : match(split(decodedPath), false);
    }

    /**
     * Matches a raw (percent-encoded) path, decoding each segment after splitting, so that an
     * encoded {@code /} stays inside its segment's value; null if it does not match or a segment
     * is not validly encoded.
     */
    public Map<String, String> matchRaw(String rawPath) {
        return rawPath == null ? null : match(split(rawPath), true);
    }

    private Map<String, String> match(String[] given, boolean decode) {
        if (given.length != literals.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < given.length; i++) {
            String segment = decode ? decode(given[i]) : given[i];
            if (segment == null || (literals[i] != null ? !literals[i].equals(segment) : segment.isEmpty())) {
                return null;
            }
            if (names[i] != null) {
                values.put(names[i], segment);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** Whether both match the same paths: the same literals at the same places, whatever the variables' names. */
    public boolean sameShape(PathTemplate other) {
        return compareTo(other) == 0;
    }

    @Override
    public int compareTo(PathTemplate other) {
        int common = Math.min(literals.length, other.literals.length);
        for (int i = 0; i < common; i++) {
            String mine = literals[i];
            String theirs = other.literals[i];
            if ((mine == null) != (theirs == null)) {
                return mine == null ? 1 : -1;
            }
            int byText = mine == null ? 0 : mine.compareTo(theirs);
            if (byText != 0) {
                return byText;
            }
        }
        return Integer.compare(literals.length, other.literals.length);
    }

    @Override
    public String toString() {
        return path;
    }

    private static String[] split(String path) {
        return path.substring(1).split("/", -1);
    }

    private static String decode(String segment) {
        try {
            return segment.indexOf('%') < 0 ? segment : URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}

package io.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The default endpoint's template against the endpoint configuration type, as the whiteboard
 * bundle describes it in its metatype: every property listed, with its default where it is
 * commented out, and a line of why above it.
 */
class DefaultEndpointTemplateTest {
    private static final String METATYPE = "OSGI-INF/metatype/io.switchboard.whiteboard.internal.EndpointConfiguration.xml";
    /** A property line, set ({@code key = value}) or listed with its default ({@code #key = value}). */
    private static final Pattern PROPERTY = Pattern.compile("(#?)([A-Za-z]+) =(?: (.*))?");

    @Test
    void listsEveryPropertyOfTheEndpointWithItsDefaultAndWhy() throws Exception {
        Map<String, String> defaults = metatypeDefaults();
        assertFalse(defaults.isEmpty(), "no attributes in " + METATYPE);
        List<String> lines = templateLines();
        Map<String, Integer> listedAt = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher property = PROPERTY.matcher(lines.get(i));
            if (property.matches() && defaults.containsKey(property.group(2))) {
                String key = property.group(2);
                assertFalse(listedAt.containsKey(key), key + " is listed twice");
                listedAt.put(key, i);
                if (property.group(1).equals("#")) {
                    String value = property.group(3) == null ? "" : property.group(3);
                    assertEquals(defaults.get(key), value, "the default of " + key);
                }
                assertTrue(i > 0 && lines.get(i - 1).startsWith("# "), "a line of why above " + key);
            }
        }
        assertEquals(defaults.keySet(), listedAt.keySet(), "the properties in the template");
    }

    @Test
    void setsOnlyTheNameAndThePort() throws Exception {
        List<String> set = templateLines().stream().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertEquals(List.of("name = " + DefaultEndpointFile.ENDPOINT_NAME, "port = 8080"), set);
    }

    private static List<String> templateLines() throws IOException {
        try (InputStream template = DefaultEndpointFile.template()) {
            return new String(template.readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }

    /** Each attribute's id and default, from the whiteboard jar on the test class path. */
    private static Map<String, String> metatypeDefaults() throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        try (InputStream xml = DefaultEndpointTemplateTest.class.getClassLoader().getResourceAsStream(METATYPE)) {
            assertNotNull(xml, METATYPE + " is not on the test class path");
            NodeList attributes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getElementsByTagName("AD");
            for (int i = 0; i < attributes.getLength(); i++) {
                Element attribute = (Element) attributes.item(i);
                defaults.put(attribute.getAttribute("id"), attribute.getAttribute("default"));
            }
        }
        return defaults;
    }
}

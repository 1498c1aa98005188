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
 * The templates written to etc/ against the configuration types they fill, as their bundles
 * describe them in their metatype: every property listed, with its default where it is commented
 * out, and a line of why above it. The default endpoint's file sets only its name and port; the
 * client's nothing; the relay's example only the Redis URI.
 */
class EtcTemplatesTest {
    private static final String ENDPOINT_METATYPE = "OSGI-INF/metatype/io.switchboard.whiteboard.internal.EndpointConfiguration.xml";
    private static final String CLIENT_METATYPE = "OSGI-INF/metatype/io.switchboard.whiteboard.internal.ClientConfiguration.xml";
    private static final String RELAY_METATYPE = "OSGI-INF/metatype/io.switchboard.cluster.redis.internal.RelayConfiguration.xml";
    /** A property line, set ({@code key = value}) or listed with its default ({@code #key = value}); a dot starts a private key. */
    private static final Pattern PROPERTY = Pattern.compile("(#?)([.A-Za-z]+) =(?: (.*))?");

    @Test
    void theEndpointFileListsEveryPropertyWithItsDefaultAndWhy() throws Exception {
        assertListsEveryProperty(EtcTemplates.ENDPOINT_FILE, ENDPOINT_METATYPE);
    }

    @Test
    void theClientFileListsEveryPropertyWithItsDefaultAndWhyAndSetsNone() throws Exception {
        assertListsEveryProperty(EtcTemplates.CLIENT_FILE, CLIENT_METATYPE);
        assertEquals(List.of(), templateLines(EtcTemplates.CLIENT_FILE).stream().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
    }

    @Test
    void theRelayExampleListsEveryPropertyWithItsDefaultAndWhy() throws Exception {
        assertListsEveryProperty(EtcTemplates.RELAY_EXAMPLE, RELAY_METATYPE);
    }

    @Test
    void theRelayExampleSetsOnlyTheUri() throws Exception {
        List<String> set = templateLines(EtcTemplates.RELAY_EXAMPLE).stream().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertEquals(List.of("uri = redis://127.0.0.1:6379"), set);
    }

    private static void assertListsEveryProperty(String template, String metatype) throws Exception {
        Map<String, String> defaults = metatypeDefaults(metatype);
        assertFalse(defaults.isEmpty(), "no attributes in " + metatype);
        List<String> lines = templateLines(template);
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
        assertEquals(defaults.keySet(), listedAt.keySet(), "the properties in " + template);
    }

    @Test
    void theEndpointFileSetsOnlyItsNameAndPort() throws Exception {
        List<String> set = templateLines(EtcTemplates.ENDPOINT_FILE).stream().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertEquals(List.of("name = " + EtcTemplates.ENDPOINT_NAME, "port = 8080"), set);
    }

    private static List<String> templateLines(String name) throws IOException {
        try (InputStream template = EtcTemplates.template(name)) {
            return new String(template.readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
        }
    }

    /** Each attribute's id and default, from the bundle's jar on the test class path. */
    private static Map<String, String> metatypeDefaults(String metatype) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        try (InputStream xml = EtcTemplatesTest.class.getClassLoader().getResourceAsStream(metatype)) {
            assertNotNull(xml, metatype + " is not on the test class path");
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

package io.switchboard.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Route templates: what they match, what they refuse to be, and the order routers try them in. */
class PathTemplateTest {

    @Test
    void theOrderIsTheSpecificationsWhateverOrderTheyCameIn() {
        List<String> paths = new ArrayList<>(List.of("/{a}/{b}", "/x/{b}", "/{a}/y", "/x/y/{c}", "/{a}/{b}/z", "/x/{b}/z"));
        List<String> expected = List.of("/x/y/{c}", "/x/{b}", "/x/{b}/z", "/{a}/y", "/{a}/{b}", "/{a}/{b}/z");
        Random random = new Random(17);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(paths, random);
            List<PathTemplate> sorted = new ArrayList<>();
            for (String path : paths) {
                sorted.add(PathTemplate.parse(path));
            }
            Collections.sort(sorted);
            assertEquals(expected.toString(), sorted.toString());
        }
    }

    @Test
    void templatesMatchWholeSegmentsOnly() {
        PathTemplate template = PathTemplate.parse("/rooms/{room}/users/{user}");
        assertEquals(Map.of("room", "r1", "user", "ann"), template.match("/rooms/r1/users/ann"));
        assertEquals(List.of("room", "user"), template.variables());
        assertNull(template.match("/rooms/r1/users"));
        assertNull(template.match("/rooms/r1/users/ann/more"));
        assertNull(template.match("/rooms//users/ann"), "a variable's value is never empty");
        assertNull(template.match("/halls/r1/users/ann"));
        assertEquals(Map.of("room", "a/b", "user", "ann"), template.matchRaw("/rooms/a%2Fb/users/ann"));
        assertNull(template.matchRaw("/rooms/%zz/users/ann"));
    }

    @Test
    void aPathWithoutVariablesMatchesItselfOnly() {
        PathTemplate exact = PathTemplate.parse("/chat");
        assertTrue(exact.exact());
        assertFalse(PathTemplate.parse("/chat/{room}").exact());
        assertEquals(Map.of(), exact.match("/chat"));
        assertNull(exact.match("/chat/"));
        assertNull(exact.match("/chats"));
    }

    @Test
    void templatesOfTheSameShapeMatchTheSamePaths() {
        assertTrue(PathTemplate.parse("/rooms/{room}").sameShape(PathTemplate.parse("/rooms/{id}")));
        assertFalse(PathTemplate.parse("/rooms/{room}").sameShape(PathTemplate.parse("/rooms/lobby")));
        assertFalse(PathTemplate.parse("/rooms/{room}").sameShape(PathTemplate.parse("/rooms/{room}/x")));
    }

    @Test
    void anInvalidTemplateIsRefusedWithWhatIsWrong() {
        for (String invalid : new String[] {"rooms/{room}", "/rooms/{}", "/rooms/a{room}", "/rooms/{room", "/{a}/{a}", "/{a{b}}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(invalid), invalid);
            assertTrue(e.getMessage().contains(invalid), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(null));
    }
}

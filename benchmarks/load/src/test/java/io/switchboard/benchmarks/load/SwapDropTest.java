package io.switchboard.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwapDropTest {
    private static final FileTime DEPLOYED_AT = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path run;
    private Path deploy;
    private Path deployed;
    private Path next;

    @BeforeEach
    void deployTheOldVersion() throws IOException {
        deploy = Files.createDirectory(run.resolve("deploy"));
        deployed = Files.writeString(deploy.resolve("swap-handler.jar"), "old version");
        Files.setLastModifiedTime(deployed, DEPLOYED_AT);
        next = Files.writeString(run.resolve("swap-handler-next.jar"), "new version");
    }

    @Test
    void inPlaceMovesTheNewVersionOverTheDeployedJar() throws Exception {
        SwapDrop drop = SwapDrop.stage(next, deployed, SwapDrop.Variant.IN_PLACE);
        assertEquals(deployed, drop.target());
        assertEquals(List.of("swap-handler.jar"), deployFolder(), "staged out of FileInstall's sight");
        assertEquals("old version", Files.readString(deployed));

        long before = System.nanoTime();
        long movedAt = drop.drop();
        assertTrue(movedAt - before >= 0 && System.nanoTime() - movedAt >= 0, "the time of the move");
        assertEquals(List.of("swap-handler.jar"), deployFolder());
        assertEquals("new version", Files.readString(deployed, StandardCharsets.UTF_8));
        assertTrue(Files.getLastModifiedTime(deployed).compareTo(DEPLOYED_AT) > 0,
                "a new modification time, for FileInstall to see a change in a jar of the same size");
        assertEquals(List.of("deploy", "swap-handler-next.jar"), runFolder(), "the staged copy was moved, not copied");
    }

    @Test
    void blueGreenMovesTheNewVersionInBesideTheDeployedJar() throws Exception {
        SwapDrop drop = SwapDrop.stage(next, deployed, SwapDrop.Variant.BLUE_GREEN);
        assertEquals(deploy.resolve("swap-handler-next.jar"), drop.target(), "under the new version's own name");
        assertEquals(List.of("swap-handler.jar"), deployFolder(), "staged out of FileInstall's sight");

        drop.drop();
        assertEquals(List.of("swap-handler-next.jar", "swap-handler.jar"), deployFolder());
        assertEquals("old version", Files.readString(deployed), "the old version stays until someone deletes it");
        assertEquals(DEPLOYED_AT, Files.getLastModifiedTime(deployed));
        assertEquals("new version", Files.readString(drop.target()));
        assertEquals(List.of("deploy", "swap-handler-next.jar"), runFolder());
    }

    @Test
    void blueGreenRefusesANameAlreadyInTheDeployFolder() throws IOException {
        Files.writeString(deploy.resolve("swap-handler-next.jar"), "a leftover");
        RunFailure leftover = assertThrows(RunFailure.class,
                () -> SwapDrop.stage(next, deployed, SwapDrop.Variant.BLUE_GREEN));
        assertTrue(leftover.getMessage().contains("exists"), leftover.getMessage());

        Path sameName = Files.writeString(Files.createDirectory(run.resolve("build")).resolve("swap-handler.jar"), "new");
        assertThrows(RunFailure.class, () -> SwapDrop.stage(sameName, deployed, SwapDrop.Variant.BLUE_GREEN),
                "named as the deployed jar, it would update that bundle in place");
        assertEquals("old version", Files.readString(deployed));
    }

    @Test
    void eitherVariantNeedsADeployedJar() {
        for (SwapDrop.Variant variant : SwapDrop.Variant.values()) {
            assertThrows(RunFailure.class, () -> SwapDrop.stage(next, deploy.resolve("missing.jar"), variant));
            assertThrows(RunFailure.class, () -> SwapDrop.stage(next, deploy, variant), "a folder is not a jar");
        }
    }

    @Test
    void theVariantIsChosenOnTheCommandLineAndInPlaceByDefault() {
        String[] common = {"--scenario", "S7", "--port", "1", "--swap-jar", "a.jar", "--deploy-jar", "b.jar"};
        assertEquals(SwapDrop.Variant.IN_PLACE, Options.parse(common).swapVariant);
        String[] blueGreen = Stream.concat(Stream.of(common), Stream.of("--swap-variant", "blue-green"))
                .toArray(String[]::new);
        assertEquals(SwapDrop.Variant.BLUE_GREEN, Options.parse(blueGreen).swapVariant);
        assertEquals(SwapDrop.Variant.IN_PLACE, SwapDrop.Variant.parse("IN-PLACE"));
        assertThrows(IllegalArgumentException.class, () -> SwapDrop.Variant.parse("bluegreen"));
    }

    private List<String> deployFolder() throws IOException {
        return names(deploy);
    }

    private List<String> runFolder() throws IOException {
        return names(run);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}

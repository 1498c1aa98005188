package io.switchboard.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;

/**
 * S7's new version of the handler bundle on its way into the server's deploy folder, in one of the
 * two ways a user updates a handler there ({@link Variant}). It is copied beside the deploy folder
 * before the measurement ({@link #stage}), so that the swap itself is one rename ({@link #drop}):
 * FileInstall never sees a half-written jar, and the generator's loop does no copying mid-window.
 *
 * <p>Selector thread only (it stages before the loop starts and drops from a tick).
 */
final class SwapDrop {
    /** How the new version reaches the deploy folder. */
    enum Variant {
        /**
         * Moved over the deployed jar: FileInstall updates the bundle ({@code Bundle.update()}), so
         * the route has no handler from the old version's stop to the new one's registration.
         */
        IN_PLACE("in-place"),
        /**
         * Moved in as a new file beside the deployed jar: FileInstall installs a second bundle, whose
         * higher-ranked handler adopts the route's live connections when it registers. The old jar
         * is deleted afterwards by whoever watches the registration (the runner); not by the generator.
         */
        BLUE_GREEN("blue-green");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        static Variant parse(String label) {
            for (Variant variant : values()) {
                if (variant.label.equals(label.toLowerCase(Locale.ROOT))) {
                    return variant;
                }
            }
            throw new IllegalArgumentException("--swap-variant is in-place or blue-green, not " + label);
        }
    }

    private final Path staged;
    private final Path target;

    private SwapDrop(Path staged, Path target) {
        this.staged = staged;
        this.target = target;
    }

    /**
     * Copies {@code swapJar} next to the folder of {@code deployJar} (on its file system, out of
     * FileInstall's sight), ready to be dropped: over {@code deployJar} in place, or beside it
     * under {@code swapJar}'s own file name for blue/green, which must be a name not yet there.
     */
    static SwapDrop stage(Path swapJar, Path deployJar, Variant variant) throws RunFailure {
        Path deployed = deployJar.toAbsolutePath();
        Path folder = deployed.getParent();
        if (!Files.isRegularFile(deployed) || folder.getParent() == null) {
            throw new RunFailure("--deploy-jar " + deployJar + " is not a deployed jar");
        }
        Path target = variant == Variant.IN_PLACE ? deployed : folder.resolve(swapJar.getFileName());
        if (variant == Variant.BLUE_GREEN && Files.exists(target)) {
            // An existing file would be updated in place, or be a leftover bundle with a ranking of its own.
            throw new RunFailure("blue/green installs the new version as a new file, but " + target + " exists");
        }
        try {
            Path staged = Files.createTempFile(folder.getParent(), "swap-", ".staged");
            Files.copy(swapJar, staged, StandardCopyOption.REPLACE_EXISTING);
            return new SwapDrop(staged, target);
        } catch (IOException e) {
            throw new RunFailure("cannot stage " + swapJar + " beside " + folder + ": " + e, e);
        }
    }

    /** Where the new version lands in the deploy folder. */
    Path target() {
        return target;
    }

    /**
     * Moves the staged jar to its target in one rename, with a new modification time (FileInstall
     * tells a changed jar by its time and size, and both versions have one size).
     *
     * @return the nanoTime of the move
     */
    long drop() throws RunFailure {
        try {
            Files.setLastModifiedTime(staged, FileTime.from(Instant.now()));
            long now = System.nanoTime();
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return now;
        } catch (IOException e) {
            throw new RunFailure("cannot move the new version to " + target + ": " + e, e);
        }
    }
}

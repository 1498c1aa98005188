package io.switchboard.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two folders that make {@code ./switchboard} a development host, both watched by Apache
 * Felix FileInstall: {@code deploy/} for bundle jars (a jar dropped in is installed and started, a
 * replaced one updated, a deleted one uninstalled) and {@code etc/} for configuration files (one
 * {@code io.switchboard.endpoint-NAME.cfg} per endpoint; an edit reconfigures it, deleting it stops
 * it). Called by the launcher's main thread before the framework starts.
 */
final class DevFolders {
    static final String FILEINSTALL_BUNDLE = "org.apache.felix.fileinstall";
    /**
     * How often FileInstall looks at the folders, in milliseconds: its default of 2 s feels slow
     * when a jar was just dropped in. It learns of changes from the JDK's watch service, so a
     * look costs next to nothing.
     */
    private static final String POLL_MILLIS = "500";

    private final Path deploy;
    private final Path etc;

    DevFolders(Path deploy, Path etc) {
        this.deploy = deploy.toAbsolutePath().normalize();
        this.etc = etc.toAbsolutePath().normalize();
    }

    Path deploy() {
        return deploy;
    }

    Path etc() {
        return etc;
    }

    /** Creates the folders and etc/'s templates (the default endpoint's file, the relay's example), each unless it exists. */
    void prepare() throws StartupException {
        for (Path folder : new Path[] {deploy, etc}) {
            if (folder.toString().contains(",")) { // FileInstall takes a comma-separated list of folders
                throw new StartupException("The folder " + folder + " has a comma in its path; choose another");
            }
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new StartupException("Cannot create the folder " + folder + ": " + e, e);
            }
        }
        try {
            EtcTemplates.createMissing(etc);
        } catch (IOException e) {
            throw new StartupException("Cannot write the configuration templates into " + etc + ": " + e, e);
        }
    }

    /**
     * FileInstall's settings, as framework properties: both folders; the first look at once, not
     * after a poll interval, so that the endpoints in etc/ start without delay; the user's files
     * never written to (FileInstall would otherwise write changes made through ConfigAdmin back
     * into them); its working copies inside the framework's {@code storage}, which goes at stop.
     */
    Map<String, String> fileInstallProperties(Path storage) {
        return Map.of(
                "felix.fileinstall.dir", deploy + "," + etc,
                "felix.fileinstall.poll", POLL_MILLIS,
                "felix.fileinstall.noInitialDelay", "true",
                "felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.tmpdir", storage.resolve("fileinstall").toString(),
                "felix.fileinstall.log.level", "2"); // warnings and errors: a jar that does not install
    }
}

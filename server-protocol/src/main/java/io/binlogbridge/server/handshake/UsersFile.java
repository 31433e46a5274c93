package io.binlogbridge.server.handshake;

import io.binlogbridge.core.config.OptionException;
import io.binlogbridge.server.access.UsersFileFormatException;
import io.binlogbridge.server.access.UsersFileWatcher;
import java.nio.file.Path;

/**
 * The {@code --users-file}: lines {@code name:secret[:privileges]} (format in docs/security.md and
 * {@link io.binlogbridge.server.access.UsersFileParser}), re-read when it changes.
 */
public final class UsersFile {
    private UsersFile() {}

    /** Reads the file (a bad file stops start-up) and starts watching it for changes. */
    public static UsersFileWatcher load(Path path) throws OptionException {
        try {
            return UsersFileWatcher.load(path).watch(1000);
        } catch (UsersFileFormatException e) {
            throw new OptionException(e.getMessage());
        }
    }
}
